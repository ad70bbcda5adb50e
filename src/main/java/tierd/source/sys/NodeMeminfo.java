package tierd.source.sys;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.kernelfs.Parse;

/**
 * {@code /sys/devices/system/node/nodeN/meminfo}: {@code Node N Key: value [kB]} lines
 * (drivers/base/node.c {@code node_read_meminfo}). Values with {@code kB} are converted to bytes (1
 * kB = 1024 bytes in the kernel); the others (HugePages_*) stay counts.
 */
public record NodeMeminfo(int node, Map<String, Long> values) {

  public NodeMeminfo {
    values = Collections.unmodifiableMap(new TreeMap<>(values));
  }

  public long totalBytes() {
    return require("MemTotal");
  }

  public long freeBytes() {
    return require("MemFree");
  }

  public long get(String key) {
    return require(key);
  }

  private long require(String key) {
    Long v = values.get(key);
    if (v == null) {
      throw new IllegalStateException("node" + node + "/meminfo has no " + key);
    }
    return v;
  }

  public static NodeMeminfo read(KernelRoot root, int node) {
    var path = root.node("node" + node + "/meminfo");
    try {
      NodeMeminfo m = parse(KernelFiles.read(path));
      if (m.node != node) {
        throw KernelFsException.malformed(1, "Node " + m.node, "meminfo of another node");
      }
      return m;
    } catch (KernelFsException e) {
      throw e.withFile(path);
    }
  }

  public static NodeMeminfo parse(String text) {
    Map<String, Long> out = new TreeMap<>();
    int node = -1;
    List<String> lines = Parse.lines(text);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      int lineNo = i + 1;
      List<String> f = Parse.fields(line);
      if (f.size() < 4 || !f.get(0).equals("Node") || !f.get(2).endsWith(":")) {
        throw KernelFsException.malformed(lineNo, line, "expected 'Node N Key: value [kB]'");
      }
      int n = Parse.unsignedInt(f.get(1), lineNo, "node id");
      if (node >= 0 && n != node) {
        throw KernelFsException.malformed(lineNo, f.get(1), "mixed node ids");
      }
      node = n;
      String key = f.get(2).substring(0, f.get(2).length() - 1);
      long v = Parse.unsigned(f.get(3), lineNo, key);
      if (f.size() == 5) {
        if (!f.get(4).equals("kB")) {
          throw KernelFsException.malformed(lineNo, f.get(4), "unit must be kB");
        }
        v = Math.multiplyExact(v, 1024L);
      } else if (f.size() > 5) {
        throw KernelFsException.malformed(lineNo, line, "trailing fields");
      }
      out.put(key, v);
    }
    if (node < 0) {
      throw KernelFsException.malformed(0, "", "empty meminfo");
    }
    if (!out.containsKey("MemTotal") || !out.containsKey("MemFree")) {
      throw KernelFsException.malformed(0, "MemTotal", "meminfo lacks MemTotal or MemFree");
    }
    return new NodeMeminfo(node, out);
  }
}
