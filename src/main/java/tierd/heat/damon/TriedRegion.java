package tierd.heat.damon;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.Parse;
import tierd.model.AddressRange;

/**
 * One {@code schemes/<S>/tried_regions/<N>/} directory: a region the scheme was tried on at its
 * last apply, with {@code start}/{@code end} in the target's address space (virtual for vaddr,
 * physical for paddr, in units of {@code addr_unit} from 6.18 on), {@code nr_accesses} (sampling
 * intervals of one aggregation interval that found it accessed) and {@code age} (aggregation
 * intervals it kept about the same size and nr_accesses). usage.rst §"Scheme Tried Regions" (6.2+);
 * all four files print {@code %lu}/{@code %u} decimals.
 */
public record TriedRegion(AddressRange range, long nrAccesses, long age) {

  /** Parses the four files' contents; {@code addrUnit} multiplies start and end. */
  public static TriedRegion parse(
      String start, String end, String nrAccesses, String age, long addrUnit) {
    long s = Parse.unsigned(start.strip(), 1, "start");
    long e = Parse.unsigned(end.strip(), 1, "end");
    if (e <= s) {
      throw KernelFsException.malformed(1, start.strip() + "-" + end.strip(), "end <= start");
    }
    long nr = Parse.unsigned(nrAccesses.strip(), 1, "nr_accesses");
    long a = Parse.unsigned(age.strip(), 1, "age");
    return new TriedRegion(
        new AddressRange(Math.multiplyExact(s, addrUnit), Math.multiplyExact(e, addrUnit)), nr, a);
  }

  /**
   * The regions under a {@code tried_regions} directory, in directory-number order (the kernel
   * numbers them in target order, then address order).
   */
  public static List<TriedRegion> readDir(DamonFs fs, String dir, long addrUnit) {
    List<Integer> numbers = new ArrayList<>();
    for (String n : fs.list(dir)) {
      if (!n.isEmpty() && n.chars().allMatch(Character::isDigit)) {
        numbers.add(Integer.parseInt(n));
      }
    }
    numbers.sort(Comparator.naturalOrder());
    List<TriedRegion> out = new ArrayList<>(numbers.size());
    for (int n : numbers) {
      String r = dir + "/" + n + "/";
      try {
        out.add(
            parse(
                fs.read(r + "start"),
                fs.read(r + "end"),
                fs.read(r + "nr_accesses"),
                fs.read(r + "age"),
                addrUnit));
      } catch (KernelFsException e) {
        throw e.withFile(fs.path(r));
      }
    }
    return out;
  }
}
