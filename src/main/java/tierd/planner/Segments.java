package tierd.planner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tierd.model.AddressRange;
import tierd.process.ManagedProcess;
import tierd.scoring.HeatClass;
import tierd.scoring.ScoredRegion;

/**
 * The segments of one planning run: each a scored region ∩ one VMA, its ends snapped to the VMA's
 * unit, with its bytes per node slot. They live in parallel primitive arrays and are named by their
 * index, so that a million regions cost a few large arrays rather than millions of objects for the
 * garbage collector to trace; heat class, heat and idle age are kept beside the bytes because the
 * queues read them for every candidate.
 */
final class Segments {

  private static final byte COLD = (byte) HeatClass.COLD.ordinal();
  private static final byte HOT = (byte) HeatClass.HOT.ordinal();

  private final List<ProcessView> processes;
  private final Map<Integer, Integer> processIndexOfPid = new HashMap<>();
  private final List<ScoredRegion> regions;
  private final int rowWidth;
  private int count;
  private int[] processIndex;
  private int[] vmaIndex;
  private int[] regionIndex;
  private long[] start;
  private long[] end;
  private long[] bytesRows;
  private byte[] heatClass;
  private double[] heat;
  private long[] idleSeconds;

  /**
   * No segments yet, over the input's processes and its regions sorted by pid and start, with room
   * for about one segment per region.
   */
  Segments(PlanInput input, NodeTable nodes, PlannerConfig config) {
    this.processes = new ArrayList<>(input.processes().size());
    for (ManagedProcess process : input.processes()) {
      processIndexOfPid.put(process.pid(), processes.size());
      processes.add(
          new ProcessView(
              process, Optional.ofNullable(input.cpus().get(process.pid())), nodes, config));
    }
    this.regions = sortedRegions(input.regions());
    this.rowWidth = nodes.rowWidth;
    int capacity = Math.max(16, input.regions().size() + 16);
    processIndex = new int[capacity];
    vmaIndex = new int[capacity];
    regionIndex = new int[capacity];
    start = new long[capacity];
    end = new long[capacity];
    bytesRows = new long[capacity * rowWidth];
    heatClass = new byte[capacity];
    heat = new double[capacity];
    idleSeconds = new long[capacity];
  }

  /** The regions by pid and start; the list itself when it is in that order (the usual case). */
  private static List<ScoredRegion> sortedRegions(List<ScoredRegion> regions) {
    for (int i = 1; i < regions.size(); i++) {
      ScoredRegion previous = regions.get(i - 1);
      ScoredRegion next = regions.get(i);
      // spelled out rather than a Comparator: this runs over every region of every cycle
      if (previous.pid() > next.pid()
          || (previous.pid() == next.pid() && previous.range().compareTo(next.range()) > 0)) {
        List<ScoredRegion> copy = new ArrayList<>(regions);
        copy.sort(Comparator.comparingInt(ScoredRegion::pid).thenComparing(ScoredRegion::range));
        return copy;
      }
    }
    return regions;
  }

  /** The scored regions, by pid and start. */
  List<ScoredRegion> regions() {
    return regions;
  }

  /** The index of the managed process {@code pid}, or -1 when it is not managed. */
  int processIndexOf(int pid) {
    Integer index = processIndexOfPid.get(pid);
    return index == null ? -1 : index;
  }

  ProcessView processAt(int index) {
    return processes.get(index);
  }

  List<ProcessView> processes() {
    return processes;
  }

  /** Number of segments. */
  int count() {
    return count;
  }

  /** Adds a segment and returns its index. */
  int add(int process, int vma, int region, long startAddress, long endAddress, long[] bytesRow) {
    if (count == start.length) {
      grow(count + (count >> 1) + 16);
    }
    int segment = count++;
    processIndex[segment] = process;
    vmaIndex[segment] = vma;
    regionIndex[segment] = region;
    start[segment] = startAddress;
    end[segment] = endAddress;
    System.arraycopy(bytesRow, 0, bytesRows, segment * rowWidth, rowWidth);
    ScoredRegion scored = regions.get(region);
    heatClass[segment] = (byte) scored.heatClass().ordinal();
    heat[segment] = scored.heat();
    idleSeconds[segment] = scored.idleAge().getSeconds();
    return segment;
  }

  private void grow(int capacity) {
    processIndex = Arrays.copyOf(processIndex, capacity);
    vmaIndex = Arrays.copyOf(vmaIndex, capacity);
    regionIndex = Arrays.copyOf(regionIndex, capacity);
    start = Arrays.copyOf(start, capacity);
    end = Arrays.copyOf(end, capacity);
    bytesRows = Arrays.copyOf(bytesRows, capacity * rowWidth);
    heatClass = Arrays.copyOf(heatClass, capacity);
    heat = Arrays.copyOf(heat, capacity);
    idleSeconds = Arrays.copyOf(idleSeconds, capacity);
  }

  /** The index of the process a segment belongs to (as {@link #processAt} takes it). */
  int processIndex(int segment) {
    return processIndex[segment];
  }

  /** The process a segment belongs to. */
  ProcessView process(int segment) {
    return processes.get(processIndex[segment]);
  }

  /** The VMA a segment lies in. */
  VmaView vma(int segment) {
    return processes.get(processIndex[segment]).vma(vmaIndex[segment]);
  }

  /** The scored region a segment is part of. */
  ScoredRegion region(int segment) {
    return regions.get(regionIndex[segment]);
  }

  long start(int segment) {
    return start[segment];
  }

  long end(int segment) {
    return end[segment];
  }

  AddressRange range(int segment) {
    return new AddressRange(start[segment], end[segment]);
  }

  /** Bytes of a segment on the node in {@code slot} of the node table. */
  long bytes(int segment, int slot) {
    return bytesRows[segment * rowWidth + slot];
  }

  boolean cold(int segment) {
    return heatClass[segment] == COLD;
  }

  boolean hot(int segment) {
    return heatClass[segment] == HOT;
  }

  /**
   * True when a segment may go down to make room for hotter data: its VMA lets it move, and it is
   * not HOT (HOT data is a demotion entry only of a tenant with a ceiling, for {@link
   * CeilingDemotion}).
   */
  boolean roomVictim(int segment) {
    return !hot(segment) && vma(segment).movable();
  }

  double heat(int segment) {
    return heat[segment];
  }

  long idleSeconds(int segment) {
    return idleSeconds[segment];
  }

  /**
   * The longest prefix of a segment that fits {@code availableBytes} of its {@code bytes}, its end
   * aligned down to the VMA's unit and its bytes in proportion; null if not even one unit fits.
   */
  Cut fit(int segment, long bytes, long availableBytes) {
    return Cut.fit(start[segment], end[segment], bytes, availableBytes, vma(segment).unitBytes());
  }

  /**
   * The shortest prefix of a segment that holds at least {@code wantedBytes} of its {@code bytes},
   * its end aligned up to the VMA's unit ({@link Cut#atLeast}).
   */
  Cut atLeast(int segment, long bytes, long wantedBytes) {
    return Cut.atLeast(start[segment], end[segment], bytes, wantedBytes, vma(segment).unitBytes());
  }
}
