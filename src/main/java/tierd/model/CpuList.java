package tierd.model;

import java.util.BitSet;

/** An immutable set of CPU ids, as in {@code nodeN/cpulist} and {@code Cpus_allowed_list}. */
public final class CpuList {

  /** Generous upper bound for CONFIG_NR_CPUS. */
  public static final int MAX_CPUS = 8192;

  private final BitSet bits;

  private CpuList(BitSet bits) {
    this.bits = bits;
  }

  public static CpuList parse(String text) {
    return new CpuList(ListFormat.parseList(text, MAX_CPUS - 1, "cpulist"));
  }

  public static CpuList empty() {
    return new CpuList(new BitSet());
  }

  public boolean isEmpty() {
    return bits.isEmpty();
  }

  public int size() {
    return bits.cardinality();
  }

  public boolean contains(int cpu) {
    return cpu >= 0 && bits.get(cpu);
  }

  /** True when the two lists share a CPU. */
  public boolean intersects(CpuList other) {
    return bits.intersects(other.bits);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CpuList other && bits.equals(other.bits);
  }

  @Override
  public int hashCode() {
    return bits.hashCode();
  }

  @Override
  public String toString() {
    return ListFormat.format(bits);
  }
}
