package tierd.whatif;

import java.util.Optional;
import tierd.model.DataSize;

/**
 * The {@code whatIf} section of tierd.yaml, or the {@code --what-if} option: the size of a
 * simulated fast tier on a one-tier host. Empty: no simulation. While it is set tierd never moves a
 * page (it runs dry).
 */
public record WhatIfConfig(Optional<DataSize> fast) {

  public static final WhatIfConfig NONE = new WhatIfConfig(Optional.empty());

  public boolean enabled() {
    return fast.isPresent();
  }

  /**
   * Parses the command line's {@code fast=SIZE}, e.g. {@code fast=8GiB}.
   *
   * @throws IllegalArgumentException naming the option when the text is not of that form
   */
  public static WhatIfConfig parseOption(String text) {
    String s = text.strip();
    if (!s.startsWith("fast=")) {
      throw new IllegalArgumentException(
          "--what-if: '" + text + "' is not fast=SIZE (e.g. fast=8GiB)");
    }
    DataSize size;
    try {
      size = DataSize.parse(s.substring("fast=".length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--what-if: " + e.getMessage());
    }
    if (size.bytes() < 4096) {
      throw new IllegalArgumentException("--what-if: fast=" + size + " is below one page (4096)");
    }
    return new WhatIfConfig(Optional.of(size));
  }
}
