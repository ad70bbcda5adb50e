package tierd.source.sys;

import java.util.List;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.kernelfs.Parse;

/**
 * {@code /sys/devices/system/node/nodeN/distance}: the SLIT row of node N, one distance per
 * <em>online</em> node in ascending node order (drivers/base/node.c {@code node_read_distance}). 10
 * is local; larger is farther.
 */
public final class NodeDistance {

  private NodeDistance() {}

  public static int[] read(KernelRoot root, int node) {
    var path = root.node("node" + node + "/distance");
    try {
      return parse(KernelFiles.read(path));
    } catch (KernelFsException e) {
      throw e.withFile(path);
    }
  }

  public static int[] parse(String text) {
    List<String> f = Parse.fields(text.strip());
    if (f.isEmpty()) {
      throw KernelFsException.malformed(1, text, "empty distance row");
    }
    int[] out = new int[f.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Parse.unsignedInt(f.get(i), 1, "distance");
      if (out[i] < 10 || out[i] > 255) {
        throw KernelFsException.malformed(1, f.get(i), "distance outside [10,255]");
      }
    }
    return out;
  }
}
