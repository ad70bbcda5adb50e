package tierd.source.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tierd.kernelfs.KernelFsException;
import tierd.model.NodeSet;

/** A file holding one node list: parsed as the kernel prints it, malformed text named. */
class NodeListFileTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {
        "has_memory of a 2-node guest;  '0-1\n';  0-1",
        "a tier's nodelist;              '2,4-5\n'; 2,4-5",
        "an empty has_cpu;               '\n';      ''",
      })
  void parsesTheListTheKernelPrints(String name, String text, String nodes) {
    assertThat(NodeListFile.parse(text.replace("\\n", "\n"))).isEqualTo(NodeSet.parse(nodes));
  }

  @Test
  void aMalformedListIsAKernelFsExceptionNamingTheToken() {
    assertThatThrownBy(() -> NodeListFile.parse("0-x\n"))
        .isInstanceOf(KernelFsException.class)
        .hasMessage("<text>: malformed at token 'x': nodelist: not an id")
        .extracting(e -> ((KernelFsException) e).kind())
        .isEqualTo(KernelFsException.Kind.MALFORMED);
  }
}
