package tierd.daemon;

import java.util.OptionalLong;
import tierd.kernelfs.KernelFsException;
import tierd.mover.NodeRoom;

/**
 * The mover's room check with the demotion-only nodes' live capacity on top: before each chunk into
 * such a node, its capacity is read again ({@link NodeCapacities}) and what it holds now ({@link
 * NodeFreeNow#heldBytes}: its total less its free memory, per-CPU lists included) is taken off; the
 * room is the smaller of that and what {@code inner} allows (free memory above the floor). So a
 * capacity that shrinks mid-move stops the demotions short of it (seed 004: "the control plane is
 * checked on demotion to make sure there is still capacity left"). An unknown capacity, or a
 * meminfo that cannot be read, leaves no room.
 */
final class DemotionOnlyRoom implements NodeRoom {

  private final NodeRoom inner;
  private final NodeCapacities capacities;
  private final NodeFreeNow freeNow;

  DemotionOnlyRoom(NodeRoom inner, NodeCapacities capacities, NodeFreeNow freeNow) {
    this.inner = inner;
    this.capacities = capacities;
    this.freeNow = freeNow;
  }

  @Override
  public long bytesAvailable(int node) {
    long innerBytes = inner.bytesAvailable(node);
    if (!capacities.demotionOnly(node)) {
      return innerBytes;
    }
    OptionalLong capacity = capacities.bytes(node);
    if (capacity.isEmpty()) {
      return 0;
    }
    try {
      return Math.min(innerBytes, capacity.getAsLong() - freeNow.heldBytes(node));
    } catch (KernelFsException | IllegalStateException e) {
      return 0;
    }
  }
}
