package tierd.planner;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One tenant in a plan: its fast-tier bytes before and after the plan against its floor and
 * ceiling. Bytes; a floor or ceiling of -1 is not set.
 *
 * @param name the tenant ({@code batch/svc-2}, or the class name)
 * @param className its class (the metric label)
 * @param priority its class's priority
 * @param residentBytes its present bytes on every node
 * @param fastBytes its bytes on the fastest tier when the cycle began
 * @param projectedFastBytes its bytes there once the plan is carried out (by the plan's estimates)
 * @param floorBytes the floor in bytes, -1 when none
 * @param ceilingBytes the ceiling in bytes, -1 when none
 * @param floor the floor as configured ({@code 60 %}, {@code 2GiB}), "" when none
 * @param ceiling the ceiling as configured, "" when none
 * @param movesByReason the plan's moves of its processes, counted per reason code
 */
public record TenantShare(
    String name,
    String className,
    int priority,
    long residentBytes,
    long fastBytes,
    long projectedFastBytes,
    long floorBytes,
    long ceilingBytes,
    String floor,
    String ceiling,
    Map<ReasonCode, Long> movesByReason) {

  public TenantShare {
    movesByReason =
        Collections.unmodifiableMap(
            movesByReason.isEmpty()
                ? new EnumMap<>(ReasonCode.class)
                : new EnumMap<>(movesByReason));
  }

  /** Bytes the tenant is short of its floor once the plan is carried out (0 when none). */
  public long deficitBytes() {
    return floorBytes < 0 ? 0 : Math.max(0, floorBytes - projectedFastBytes);
  }
}
