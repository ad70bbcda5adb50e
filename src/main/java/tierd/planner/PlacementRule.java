package tierd.planner;

import java.util.Arrays;
import java.util.function.Supplier;
import tierd.model.MemPolicy;
import tierd.model.NodeSet;
import tierd.process.Vma;

/**
 * The safety core of the planner: which nodes the pages of one VMA of a task may move to. Pure: the
 * task's cpuset ({@code cpuset.mems.effective ∩ Mems_allowed}), the VMA (its mempolicy, hugetlb,
 * sharing), the config and the node table in; the allowed targets, nearest first, or why none out.
 * No move the planner plans can leave this set.
 *
 * <p>Per policy: {@code default} and {@code local} leave the cpuset free both ways; {@code bind}
 * limits both ways to its nodes; {@code prefer (many)} and a respected single-node {@code prefer}
 * limit promotion only (an ignored or empty {@code prefer} is {@code default}); interleaved VMAs
 * are left alone unless {@code planner.moveInterleaved}, and then limited both ways like {@code
 * bind}; an unknown policy is left alone. Hugetlb VMAs are left alone unless {@code
 * planner.hugetlb=MOVE}, shared ones unless {@code planner.moveShared}. Demotion keeps only the
 * allowed nodes of the next lower tier that has one.
 */
final class PlacementRule {

  private PlacementRule() {}

  /** What the rule lets a whole VMA do, before any node is looked at. */
  sealed interface VmaRule permits Movable, HeldBack {}

  /** Where a VMA's data on one node may go. */
  sealed interface Verdict permits Allowed, HeldBack {}

  /** The VMA may move, within {@code promoteAllowed} up and {@code demoteAllowed} down. */
  record Movable(NodeSet promoteAllowed, NodeSet demoteAllowed) implements VmaRule {}

  /**
   * Nothing moves, for {@code reason}; {@code why} gives the sentence with the figures, built when
   * a report lists it (a million skipped candidates cost no strings).
   */
  record HeldBack(SkipReason reason, Supplier<String> why) implements VmaRule, Verdict {

    /** Why, with the figures. */
    String text() {
      return why.get();
    }
  }

  /** The data may move to {@code targets}: node indices of the node table, nearest first. */
  record Allowed(int[] targets) implements Verdict {}

  /** The rule for data of {@code vma} on node {@code source} moving in {@code direction}. */
  static Verdict decide(
      Direction direction,
      int source,
      NodeTable nodes,
      NodeSet cpuset,
      Vma vma,
      PlannerConfig config) {
    return verdict(forVma(cpuset, vma, config), direction, source, nodes, cpuset, vma.policy());
  }

  /**
   * The rule for data on {@code source} moving in {@code direction}, of a VMA with policy {@code
   * policy} whose whole-VMA rule {@link #forVma} gave {@code rule}.
   */
  static Verdict verdict(
      VmaRule rule,
      Direction direction,
      int source,
      NodeTable nodes,
      NodeSet cpuset,
      MemPolicy policy) {
    return rule instanceof Movable movable
        ? targets(direction, source, nodes, cpuset, policy, movable)
        : (HeldBack) rule;
  }

  /** What {@code vma} of a task with {@code cpuset} may do at all. */
  static VmaRule forVma(NodeSet cpuset, Vma vma, PlannerConfig config) {
    MemPolicy policy = vma.policy();
    MemPolicy.Mode mode = policy.mode();
    if (mode == MemPolicy.Mode.PREFERRED
        && (config.preferred() == PlannerConfig.PreferredPolicy.IGNORE
            || policy.nodes().isEmpty())) {
      mode = MemPolicy.Mode.DEFAULT;
    }
    NodeSet up = cpuset;
    NodeSet down = cpuset;
    switch (mode) {
      case DEFAULT, LOCAL -> {}
      case BIND -> {
        up = cpuset.intersect(policy.nodes());
        down = up;
      }
      case PREFERRED, PREFERRED_MANY -> up = cpuset.intersect(policy.nodes());
      case INTERLEAVE, WEIGHTED_INTERLEAVE -> {
        if (!config.moveInterleaved()) {
          return new HeldBack(
              SkipReason.INTERLEAVE,
              () ->
                  "VMA "
                      + vma.range()
                      + " has policy "
                      + policy
                      + "; interleaved VMAs are left alone (planner.moveInterleaved=false)");
        }
        up = cpuset.intersect(policy.nodes());
        down = up;
      }
      default -> {
        return new HeldBack(
            SkipReason.POLICY,
            () -> "VMA " + vma.range() + " has an unknown policy (" + policy + "); left alone");
      }
    }
    if (vma.hugetlb() && config.hugetlb() == PlannerConfig.HugetlbMode.SKIP) {
      return new HeldBack(
          SkipReason.HUGETLB,
          () ->
              "hugetlb VMA "
                  + vma.range()
                  + " ("
                  + Texts.bytes(vma.pageBytes())
                  + " pages) is left alone (planner.hugetlb=SKIP)");
    }
    if (vma.shared() && !config.moveShared()) {
      return new HeldBack(
          SkipReason.SHARED,
          () ->
              "shared VMA "
                  + vma.range()
                  + " (mapmax "
                  + vma.mapmax()
                  + ", perms "
                  + vma.perms()
                  + ") needs MPOL_MF_MOVE_ALL (planner.moveShared=false)");
    }
    return new Movable(up, down);
  }

  /**
   * The targets of {@code source}'s promotion or demotion list (nearest first) that the cpuset and
   * then the policy allow; for demotion only those of the next lower tier that has one.
   */
  static Verdict targets(
      Direction direction,
      int source,
      NodeTable nodes,
      NodeSet cpuset,
      MemPolicy policy,
      Movable movable) {
    boolean down = direction == Direction.DEMOTE;
    int[] candidates = down ? nodes.demotionTargets(source) : nodes.promotionTargets(source);
    String way = down ? "slower" : "faster";
    int[] inCpuset = within(candidates, cpuset, nodes);
    if (inCpuset.length == 0) {
      return heldBack(
          SkipReason.CPUSET,
          "cpuset.mems.effective ∩ Mems_allowed = "
              + cpuset
              + " has no node "
              + way
              + " than node "
              + nodes.nodeId(source)
              + " ("
              + way
              + ": "
              + nodes.ids(candidates)
              + ")");
    }
    int[] allowed =
        within(inCpuset, down ? movable.demoteAllowed() : movable.promoteAllowed(), nodes);
    if (allowed.length == 0) {
      return heldBack(
          SkipReason.POLICY,
          "policy "
              + policy
              + " allows no node "
              + way
              + " than node "
              + nodes.nodeId(source)
              + " ("
              + way
              + " in cpuset: "
              + nodes.ids(inCpuset)
              + ")");
    }
    return new Allowed(down ? nextLowerTier(allowed, nodes) : allowed);
  }

  /** Held back with a text built now (a verdict per VMA and source is built once). */
  private static HeldBack heldBack(SkipReason reason, String text) {
    return new HeldBack(reason, () -> text);
  }

  /** The nodes of {@code targets} in the lowest-ranked (nearest slower) tier among them. */
  private static int[] nextLowerTier(int[] targets, NodeTable nodes) {
    int nextRank = nodes.tierRank(targets[0]);
    for (int target : targets) {
      nextRank = Math.min(nextRank, nodes.tierRank(target));
    }
    int[] same = new int[targets.length];
    int count = 0;
    for (int target : targets) {
      if (nodes.tierRank(target) == nextRank) {
        same[count++] = target;
      }
    }
    return Arrays.copyOf(same, count);
  }

  /** The nodes of {@code candidates} whose ids {@code allowed} holds, in order. */
  private static int[] within(int[] candidates, NodeSet allowed, NodeTable nodes) {
    int[] out = new int[candidates.length];
    int count = 0;
    for (int node : candidates) {
      if (allowed.contains(nodes.nodeId(node))) {
        out[count++] = node;
      }
    }
    return Arrays.copyOf(out, count);
  }
}
