package tierd.topology;

import tierd.model.NodeSet;

/**
 * A memory tier: a set of nodes of similar performance. {@code rank} 0 is the fastest tier tierd
 * knows; {@code kernelId} is the N of the kernel's {@code memory_tierN} when the tier came from the
 * kernel, else -1.
 */
public record Tier(int rank, int kernelId, NodeSet nodes) {

  public String label() {
    return kernelId >= 0 ? "memory_tier" + kernelId : "tier" + rank;
  }
}
