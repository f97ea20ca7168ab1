package pulse.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import pulse.api.Route;

/**
 * Matches a request path against route templates such as {@code /api/pulse/{id}}. A literal
 * segment beats a parameter, so {@code /api/pulse/upcoming} wins over {@code /api/pulse/{id}}.
 */
final class RouteTable {

  /** A route that matched, with its path parameters. */
  record Match(Route route, Map<String, String> params) {}

  /** The outcome of a lookup: a match, or the methods the path allows (empty: no such path). */
  record Lookup(Optional<Match> match, Set<String> allowed) {}

  private record Compiled(Route route, String[] segments, int literals) {}

  private final List<Compiled> routes = new ArrayList<>();

  RouteTable(List<Route> all) {
    for (Route r : all) {
      String[] segs = split(r.path());
      int literals = 0;
      for (String s : segs) {
        literals += isParam(s) ? 0 : 1;
      }
      for (Compiled c : routes) {
        if (c.route().method().equals(r.method()) && c.route().path().equals(r.path())) {
          throw new IllegalArgumentException("two routes for " + r.method() + " " + r.path());
        }
      }
      routes.add(new Compiled(r, segs, literals));
    }
    routes.sort(Comparator.comparingInt(Compiled::literals).reversed());
  }

  Lookup lookup(String method, String path) {
    String[] segs = split(path);
    Set<String> allowed = new TreeSet<>();
    for (Compiled c : routes) {
      Map<String, String> params = match(c.segments(), segs);
      if (params == null) {
        continue;
      }
      String m = c.route().method();
      allowed.add(m);
      if (m.equals(method) || (method.equals("HEAD") && m.equals("GET"))) {
        return new Lookup(Optional.of(new Match(c.route(), params)), allowed);
      }
    }
    return new Lookup(Optional.empty(), allowed);
  }

  private static Map<String, String> match(String[] template, String[] actual) {
    if (template.length != actual.length) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < template.length; i++) {
      if (isParam(template[i])) {
        if (actual[i].isEmpty()) {
          return null;
        }
        params.put(template[i].substring(1, template[i].length() - 1), actual[i]);
      } else if (!template[i].equals(actual[i])) {
        return null;
      }
    }
    return params;
  }

  private static boolean isParam(String segment) {
    return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
  }

  private static String[] split(String path) {
    String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    return p.substring(1).split("/", -1);
  }
}
