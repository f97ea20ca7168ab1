package pulse.store.migration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import java.util.Locale;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Creates Quartz's tables from the DDL that ships inside the Quartz jar, for the database at hand,
 * so the schema always matches the Quartz version on the classpath.
 */
public final class V1__Quartz_tables extends BaseJavaMigration {

  @Override
  public void migrate(Context context) throws Exception {
    String product = context.getConnection().getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    String file = product.contains("postgres") ? "tables_postgres.sql" : "tables_h2.sql";
    try (Statement st = context.getConnection().createStatement()) {
      for (String sql : statements(read("/org/quartz/impl/jdbcjobstore/" + file))) {
        st.execute(sql);
      }
    }
  }

  private static String read(String resource) throws IOException {
    try (InputStream in = V1__Quartz_tables.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("Quartz DDL " + resource + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Splits a DDL script on ';', dropping comments, COMMIT and the DROPs meant for reinstalls. */
  static java.util.List<String> statements(String script) {
    StringBuilder sb = new StringBuilder();
    for (String line : script.split("\n")) {
      String t = line.strip();
      if (!t.startsWith("--") && !t.startsWith("#")) {
        sb.append(line).append('\n');
      }
    }
    java.util.List<String> out = new java.util.ArrayList<>();
    for (String part : sb.toString().split(";")) {
      String s = part.strip();
      String upper = s.toUpperCase(Locale.ROOT);
      if (!s.isEmpty() && !upper.equals("COMMIT") && !upper.startsWith("DROP ")) {
        out.add(s);
      }
    }
    return out;
  }
}
