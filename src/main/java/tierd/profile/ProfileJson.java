package tierd.profile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The profile as maps, lists, strings, numbers and booleans only, ready for any JSON writer (the
 * {@code /status} endpoint and {@code tierd profile --json}). Sizes in bytes, times in seconds.
 * Pure.
 */
public final class ProfileJson {

  private ProfileJson() {}

  /** The summary with the host, every cgroup and the {@code topProcesses} largest processes. */
  public static Map<String, Object> summary(ProfileSummary s, int topProcesses) {
    Map<String, Object> m = new LinkedHashMap<>();
    WindowProfile w = s.latest();
    m.put("at", w.at().toString());
    m.put("sentence", s.sentence());
    m.put("watchedSeconds", s.watched().toSeconds());
    m.put("hotSetBytes", s.hotSetBytes().isPresent() ? s.hotSetBytes().getAsLong() : null);
    m.put("hotSetSpanSeconds", s.hotSetSpan().toSeconds());
    m.put("processCount", w.processCount());
    m.put("host", breakdown(w.host()));
    m.put("sizing", sizing(w));
    List<Object> cgroups = new ArrayList<>();
    for (WindowProfile.CgroupProfile c : w.cgroups()) {
      Map<String, Object> cm = new LinkedHashMap<>();
      cm.put("cgroup", c.cgroup());
      cm.put("processes", c.processes());
      cm.putAll(breakdown(c.breakdown()));
      cgroups.add(cm);
    }
    m.put("cgroups", cgroups);
    List<Object> procs = new ArrayList<>();
    for (WindowProfile.ProcessProfile p : w.processes()) {
      if (procs.size() >= topProcesses) {
        break;
      }
      procs.add(process(p));
    }
    m.put("processes", procs);
    return m;
  }

  /** One process: pid, start time, comm, cgroup and its breakdown. */
  public static Map<String, Object> process(WindowProfile.ProcessProfile p) {
    Map<String, Object> pm = new LinkedHashMap<>();
    pm.put("pid", p.key().pid());
    pm.put("startTimeTicks", p.key().startTimeTicks());
    pm.put("comm", p.comm());
    pm.put("cgroup", p.cgroup());
    pm.put("hotSetBytes", p.breakdown().hotSetBytes());
    pm.putAll(breakdown(p.breakdown()));
    return pm;
  }

  /** Resident, hot, warm, cold, idle percentiles and idle bytes of one breakdown. */
  public static Map<String, Object> breakdown(Breakdown b) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("residentBytes", b.residentBytes());
    m.put("hotBytes", b.hotBytes());
    m.put("warmBytes", b.warmBytes());
    m.put("coldBytes", b.coldBytes());
    m.put("windowHotSetBytes", b.hotSetBytes());
    m.put("accessed", b.accessed());
    Map<String, Object> q = new LinkedHashMap<>();
    for (int i = 0; i < Breakdown.IDLE_QUANTILES.size(); i++) {
      q.put("p" + Math.round(Breakdown.IDLE_QUANTILES.get(i) * 100), seconds(b.idleQuantile(i)));
    }
    m.put("idleAgeSeconds", q);
    Map<String, Object> idle = new LinkedHashMap<>();
    for (int i = 0; i < Breakdown.IDLE_THRESHOLDS.size(); i++) {
      idle.put(Long.toString(Breakdown.IDLE_THRESHOLDS.get(i).toSeconds()), b.idleBytes(i));
    }
    m.put("idleBytesAtLeastSeconds", idle);
    return m;
  }

  /** The window's sizing points and its curve. */
  public static Map<String, Object> sizing(WindowProfile w) {
    Map<String, Object> m = new LinkedHashMap<>();
    List<Object> targets = new ArrayList<>();
    for (int i = 0; i < SizingCurve.SERVED_SHARES.size(); i++) {
      Map<String, Object> t = new LinkedHashMap<>();
      long fast = w.fastBytesForShares().get(i);
      t.put("servedShare", SizingCurve.SERVED_SHARES.get(i));
      t.put("fastTierBytes", fast);
      t.put("bytesBelow", Math.max(0, w.host().residentBytes() - fast));
      targets.add(t);
    }
    m.put("points", targets);
    List<Object> curve = new ArrayList<>();
    for (SizingCurve.Point p : w.curvePoints()) {
      curve.add(List.of(p.fastBytes(), p.servedShare()));
    }
    m.put("curve", curve);
    return m;
  }

  /** The host's figures per window, oldest first: time, resident, hot, warm, cold, hot set. */
  public static List<Object> series(List<WindowProfile> windows) {
    List<Object> out = new ArrayList<>();
    for (WindowProfile w : windows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("at", w.at().toString());
      m.put("residentBytes", w.host().residentBytes());
      m.put("hotBytes", w.host().hotBytes());
      m.put("warmBytes", w.host().warmBytes());
      m.put("coldBytes", w.host().coldBytes());
      m.put("windowHotSetBytes", w.host().hotSetBytes());
      out.add(m);
    }
    return out;
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }
}
