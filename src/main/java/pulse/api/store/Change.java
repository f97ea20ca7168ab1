package pulse.api.store;

import java.util.Arrays;
import java.util.List;

/**
 * A fragment of SQL with its arguments, such as the extra {@code SET} columns of a lease operation
 * ({@code "status = ?, updated_at = ?"}) or the condition of a claim.
 */
public record Change(String sql, List<Object> args) {
  public Change {
    args = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(args)); // nulls allowed
  }

  public static Change of(String sql, Object... args) {
    return new Change(sql, Arrays.asList(args));
  }

  public static Change none() {
    return new Change("", List.of());
  }

  boolean isEmpty() {
    return sql.isBlank();
  }
}
