package tierd.nativeio;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.nio.charset.StandardCharsets;

/**
 * The sd_notify(3) protocol: one datagram of {@code KEY=VALUE} lines to the AF_UNIX socket named by
 * {@code $NOTIFY_SOCKET} (a path, or an abstract name written with a leading {@code @}). Java 17's
 * {@code DatagramChannel} cannot send to AF_UNIX, hence three libc calls.
 */
public final class SdNotify {

  static final int AF_UNIX = 1;
  static final int SOCK_DGRAM = 2;
  static final int SOCK_CLOEXEC = 02000000;
  static final int MSG_NOSIGNAL = 0x4000;
  static final int SUN_PATH_MAX = 108;

  private SdNotify() {}

  /** Direct-mapped libc socket calls. */
  static final class Sock {
    static {
      Native.register(Sock.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private Sock() {}

    // int socket(int domain, int type, int protocol);
    static native int socket(int domain, int type, int protocol);

    // ssize_t sendto(int sockfd, const void *buf, size_t len, int flags,
    //                const struct sockaddr *dest_addr, socklen_t addrlen);
    static native long sendto(int fd, byte[] buf, long len, int flags, byte[] addr, int addrlen);

    // int close(int fd);
    static native int close(int fd);
  }

  /**
   * Sends {@code message} to {@code socketPath}.
   *
   * @throws IllegalStateException with the errno when the socket cannot be reached
   */
  public static void send(String socketPath, String message) {
    if (socketPath == null || socketPath.isEmpty()) {
      throw new IllegalArgumentException("NOTIFY_SOCKET is empty");
    }
    byte[] path = socketPath.getBytes(StandardCharsets.UTF_8);
    boolean abstractName = path[0] == '@';
    if (path.length >= SUN_PATH_MAX) {
      throw new IllegalArgumentException("NOTIFY_SOCKET path too long: " + socketPath);
    }
    // struct sockaddr_un { sa_family_t sun_family; char sun_path[108]; }
    byte[] addr = new byte[2 + SUN_PATH_MAX];
    addr[0] = (byte) AF_UNIX; // little-endian u16 on x86_64 and aarch64
    addr[1] = 0;
    System.arraycopy(path, 0, addr, 2, path.length);
    int addrLen;
    if (abstractName) {
      addr[2] = 0; // abstract namespace: leading NUL, no terminator counted
      addrLen = 2 + path.length;
    } else {
      addrLen = 2 + path.length + 1;
    }
    byte[] buf = message.getBytes(StandardCharsets.UTF_8);
    int fd = Sock.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      throw new IllegalStateException("socket(AF_UNIX): " + Errno.describe(Native.getLastError()));
    }
    try {
      long n = Sock.sendto(fd, buf, buf.length, MSG_NOSIGNAL, addr, addrLen);
      if (n < 0) {
        throw new IllegalStateException(
            "sendto(" + socketPath + "): " + Errno.describe(Native.getLastError()));
      }
    } finally {
      Sock.close(fd);
    }
  }
}
