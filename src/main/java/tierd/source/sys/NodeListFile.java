package tierd.source.sys;

import tierd.kernelfs.KernelFsException;
import tierd.model.MalformedValueException;
import tierd.model.NodeSet;

/**
 * The content of a file that holds one node list in the kernel's list format ({@code %*pbl}, e.g.
 * {@code 0-1,3} and a newline): the node state masks, a memory tier's {@code nodelist}, a cgroup's
 * {@code cpuset.mems}. A malformed list is a {@link KernelFsException} naming the token; the reader
 * adds the file.
 */
public final class NodeListFile {

  private NodeListFile() {}

  public static NodeSet parse(String text) {
    try {
      return NodeSet.parse(text.strip());
    } catch (MalformedValueException e) {
      throw KernelFsException.malformed(e.line(), e.token(), e.detail());
    }
  }
}
