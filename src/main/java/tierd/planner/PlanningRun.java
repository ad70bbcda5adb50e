package tierd.planner;

/**
 * One planning run, wired: the parts it shares ({@link NodeTable}, {@link Ledger}, {@link
 * Segments}, the candidate lists, {@link SkipLog}) and the steps that act on them, in the order
 * {@link #plan} calls them. Built for one {@link Planner#plan} call and dropped after it.
 */
final class PlanningRun {

  final NodeTable nodes;
  final Ledger ledger;
  final Segments segments;
  final SkipLog skips;
  final PromotionCandidates promotions;
  final DemotionEntries demotions;
  final SegmentJoin.Counts joined;
  final Tenants tenants;
  final ResidencyRule residency;
  final Demotion demotion;
  final PressureRelief pressureRelief;
  final CeilingDemotion ceilingDemotion;
  final MakeRoom makeRoom;
  final Promotion promotion;
  final ProactiveDemotion proactiveDemotion;
  final CapacityRelief capacityRelief;
  private final PlanInput input;
  private final PlannerState state;

  /**
   * The parts of a run over {@code input}, with the segments and candidates joined. Throws
   * IllegalArgumentException if regions or placements of a pid overlap.
   */
  PlanningRun(PlannerConfig config, PlanInput input, PlannerState state) {
    this.input = input;
    this.state = state;
    nodes = new NodeTable(input.topology(), config, input.capacityBytes());
    segments = new Segments(input, nodes, config);
    tenants = Tenants.of(input.tenancy(), input.topology(), nodes, segments);
    ledger = new Ledger(nodes, config, state, input.now(), tenants);
    skips = new SkipLog(config, nodes, segments, ledger);
    promotions = new PromotionCandidates();
    demotions = new DemotionEntries(nodes.count());
    joined =
        new SegmentJoin(config, nodes, segments, skips, promotions, demotions, tenants)
            .join(input.placements());
    residency = new ResidencyRule(config, state.residency(), input.now(), nodes, segments, skips);
    ReasonTexts texts =
        new ReasonTexts(config, input.thresholds(), nodes, ledger, segments, tenants);
    demotion = new Demotion(nodes, ledger, segments, demotions, residency, skips, texts);
    Exchange exchange =
        new Exchange(
            input.thresholds(), nodes, ledger, segments, demotions, demotion, texts, tenants);
    pressureRelief =
        new PressureRelief(nodes, ledger, segments, demotions, demotion, skips, tenants);
    ceilingDemotion = new CeilingDemotion(nodes, segments, demotions, demotion, tenants);
    makeRoom =
        new MakeRoom(
            config,
            input.thresholds(),
            nodes,
            ledger,
            segments,
            promotions,
            demotions,
            demotion,
            residency,
            tenants);
    promotion =
        new Promotion(
            config,
            input.thresholds(),
            nodes,
            ledger,
            segments,
            promotions,
            exchange,
            residency,
            skips,
            texts,
            tenants);
    proactiveDemotion =
        new ProactiveDemotion(config, nodes, segments, demotions, demotion, skips, tenants);
    capacityRelief =
        new CapacityRelief(nodes, ledger, segments, demotions, demotion, skips, texts, tenants);
  }

  /**
   * Relieves pressure, demotes tenants over their ceiling, makes room for the hot data waiting,
   * promotes (with exchange), empties demotion-only nodes down to their capacity, demotes
   * proactively, assembles the plan.
   */
  PlanResult plan() {
    pressureRelief.run();
    ceilingDemotion.run();
    makeRoom.run();
    promotion.run();
    capacityRelief.run();
    proactiveDemotion.run();
    return PlanAssembly.assemble(
        input, state, nodes, ledger, segments, skips, joined, residency, tenants);
  }
}
