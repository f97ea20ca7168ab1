package pulse.api;

/**
 * An HTTP answer. A body that is not a String or byte[] is written as JSON with Pulse's ObjectMapper.
 */
public record ApiResponse(int status, Object body) {

  public static ApiResponse ok(Object body) {
    return new ApiResponse(200, body);
  }

  public static ApiResponse created(Object body) {
    return new ApiResponse(201, body);
  }
}
