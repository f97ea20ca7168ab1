package pulse.jobs.health;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Real certificates for TLS tests, made with the JDK's keytool: a CA, leaf certificates it signs
 * for 127.0.0.1 with a chosen validity, and a self-signed one nobody trusts.
 */
final class TestPki {
  static final String PASS = "changeit";
  private final Path dir;
  private final Path caStore;
  final Path caPem;

  private TestPki(Path dir) {
    this.dir = dir;
    this.caStore = dir.resolve("ca.p12");
    this.caPem = dir.resolve("ca.pem");
  }

  static TestPki create(Path dir) throws Exception {
    TestPki p = new TestPki(dir);
    p.keytool("-genkeypair", "-keystore", p.caStore.toString(), "-alias", "ca", "-dname", "CN=Pulse Test CA",
        "-ext", "bc:c", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "365");
    p.keytool("-exportcert", "-rfc", "-keystore", p.caStore.toString(), "-alias", "ca", "-file", p.caPem.toString());
    return p;
  }

  /** A key store with a key and a certificate for 127.0.0.1 that the CA signed, valid for so many days. */
  Path leaf(String name, int days) throws Exception {
    Path store = dir.resolve(name + ".p12");
    Path csr = dir.resolve(name + ".csr");
    Path pem = dir.resolve(name + ".pem");
    keytool("-genkeypair", "-keystore", store.toString(), "-alias", "leaf", "-dname", "CN=localhost", "-keyalg", "EC",
        "-groupname", "secp256r1", "-validity", String.valueOf(days));
    keytool("-certreq", "-keystore", store.toString(), "-alias", "leaf", "-file", csr.toString());
    keytool("-gencert", "-keystore", caStore.toString(), "-alias", "ca", "-infile", csr.toString(), "-outfile",
        pem.toString(), "-rfc", "-validity", String.valueOf(days), "-ext", "san=ip:127.0.0.1,dns:localhost");
    keytool("-importcert", "-noprompt", "-keystore", store.toString(), "-alias", "ca", "-file", caPem.toString());
    keytool("-importcert", "-keystore", store.toString(), "-alias", "leaf", "-file", pem.toString());
    return store;
  }

  /** A self-signed certificate for 127.0.0.1: valid, but signed by nobody the check trusts. */
  Path selfSigned(String name) throws Exception {
    Path store = dir.resolve(name + ".p12");
    keytool("-genkeypair", "-keystore", store.toString(), "-alias", "leaf", "-dname", "CN=localhost", "-keyalg", "EC",
        "-groupname", "secp256r1", "-validity", "90", "-ext", "san=ip:127.0.0.1,dns:localhost");
    return store;
  }

  static SSLContext serverContext(Path store) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, PASS.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASS.toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  private void keytool(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("-storepass", PASS, "-storetype", "PKCS12"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool " + args[0] + " failed: " + out);
    }
  }
}
