package pulse.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.testing.DaemonProcess;

/**
 * {@code pulse secrets inject} with a stand-in for 1Password's {@code op}, which cannot be
 * installed here. The stand-in speaks op's command line: {@code op inject --force -i IN -o OUT},
 * resolving each {@code op://vault/item/field} from a directory tree.
 */
class SecretsInjectIT {
  private static final String FAKE_OP = """
      #!/bin/bash
      # op inject [--force] -i IN -o OUT: replaces op://vault/item/field with $FAKE_OP_VAULT/vault/item/field
      set -euo pipefail
      [ "$1" = inject ] || { echo "[ERROR] unknown command $1" >&2; exit 1; }
      shift; in=""; out=""
      while [ $# -gt 0 ]; do
        case "$1" in --force) shift;; -i) in="$2"; shift 2;; -o) out="$2"; shift 2;; *) echo "[ERROR] unknown flag $1" >&2; exit 1;; esac
      done
      tmp="$(mktemp)"
      while IFS= read -r line || [ -n "$line" ]; do
        while [[ "$line" =~ op://([A-Za-z0-9_-]+)/([A-Za-z0-9_-]+)/([A-Za-z0-9_-]+) ]]; do
          ref="${BASH_REMATCH[0]}"; f="$FAKE_OP_VAULT/${BASH_REMATCH[1]}/${BASH_REMATCH[2]}/${BASH_REMATCH[3]}"
          [ -f "$f" ] || { echo "[ERROR] could not resolve $ref: item not found" >&2; exit 1; }
          line="${line//$ref/$(cat "$f")}"
        done
        printf '%s\\n' "$line" >> "$tmp"
      done < "$in"
      cat "$tmp" > "$out"; rm -f "$tmp"
      """;

  @TempDir Path dir;

  private Path fakeOp() throws Exception {
    Path op = dir.resolve("bin/op");
    Files.createDirectories(op.getParent());
    Files.writeString(op, FAKE_OP);
    Files.setPosixFilePermissions(op, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path field = dir.resolve("vault/pulse/api/token");
    Files.createDirectories(field.getParent());
    Files.writeString(field, "injected-api-token-123");
    return op;
  }

  @Test
  void injectWritesAPrivateEnvFileThatTheDaemonAccepts() throws Exception {
    Path op = fakeOp();
    DaemonProcess d = new DaemonProcess(dir, Map.of("FAKE_OP_VAULT", dir.resolve("vault").toString()));
    Files.writeString(dir.resolve(".env.op"), "# secrets\nPULSE_API_TOKEN=op://pulse/api/token\nPULSE_LOG_LEVEL=info\n");

    DaemonProcess.Result r = d.cli("secrets", "inject", "--op", op.toString());
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("0600").doesNotContain("injected-api-token-123");
    Path env = dir.resolve(".env");
    assertThat(Files.readString(env)).contains("PULSE_API_TOKEN=injected-api-token-123").contains("PULSE_LOG_LEVEL=info");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(env))).isEqualTo("rw-------");

    // the daemon's commands read .env from the working directory and accept it at 0600...
    DaemonProcess.Result check = d.cli("check");
    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(check.output()).doesNotContain("chmod").doesNotContain("injected-api-token-123");

    // ...and refuse it once others can read it, saying how to fix it
    Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-r--r--"));
    DaemonProcess.Result refused = d.cli("check");
    assertThat(refused.exitCode()).isEqualTo(78);
    assertThat(refused.output()).contains("chmod 600").doesNotContain("injected-api-token-123");
  }

  @Test
  void aMissingOpOrUnresolvableReferenceIsAClearError() throws Exception {
    Path op = fakeOp();
    DaemonProcess d = new DaemonProcess(dir, Map.of("FAKE_OP_VAULT", dir.resolve("vault").toString()));
    DaemonProcess.Result noTemplate = d.cli("secrets", "inject", "--op", op.toString());
    assertThat(noTemplate.exitCode()).isEqualTo(78);
    assertThat(noTemplate.output()).contains(".env.op");

    Files.writeString(dir.resolve(".env.op"), "PULSE_API_TOKEN=op://pulse/api/missing\n");
    DaemonProcess.Result unresolved = d.cli("secrets", "inject", "--op", op.toString());
    assertThat(unresolved.exitCode()).isEqualTo(1);
    assertThat(unresolved.output()).contains("op inject failed").contains("could not resolve");

    DaemonProcess.Result noOp = d.cli("secrets", "inject", "--op", dir.resolve("bin/not-there").toString());
    assertThat(noOp.exitCode()).isEqualTo(69);
    assertThat(noOp.output()).contains("1Password CLI");
  }
}
