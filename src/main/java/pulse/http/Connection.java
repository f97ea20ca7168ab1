package pulse.http;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/** One client connection's state, touched only by the {@link ConnectionLoop} thread. */
final class Connection {
  enum State {
    /** waiting for (the rest of) a request head */
    HEAD,
    /** head read, waiting for the body */
    BODY,
    /** dropping the body of a request answered 413, so the connection stays usable */
    SKIPPING,
    /** a handler thread has the request */
    HANDLING,
    /** sending an answer */
    SENDING,
    /** answer sent and output shut: reading and dropping what the client still sends, so it gets the answer, not a reset */
    CLOSING
  }

  final SocketChannel channel;
  final InetAddress client;
  SelectionKey key;
  State state = State.HEAD;
  byte[] in = new byte[4096];
  int inLen;
  /** bytes of the current request seen so far: the head timer starts at the first one */
  boolean started;
  RequestHead head;
  /** the decoder of a chunked body in progress, else null */
  ChunkedBody chunks;
  /** offset just past the request being handled */
  int requestEnd;
  ByteBuffer out;
  boolean closeAfterSend;
  long deadline;
  /** body bytes still to drop in SKIPPING */
  long skip;

  Connection(SocketChannel channel, InetAddress client) {
    this.channel = channel;
    this.client = client;
  }

  /** Room for at least {@code more} bytes, growing the buffer up to {@code cap}; false when full. */
  boolean makeRoom(int more, int cap) {
    if (in.length - inLen >= more) {
      return true;
    }
    if (in.length >= cap) {
      return inLen < in.length;
    }
    in = Arrays.copyOf(in, (int) Math.min(cap, Math.max((long) in.length * 2, inLen + (long) more)));
    return true;
  }

  /** Drops the request just handled, keeping what the client sent after it (pipelining). */
  void consume(int end) {
    System.arraycopy(in, end, in, 0, inLen - end);
    inLen -= end;
    head = null;
    started = inLen > 0;
  }
}
