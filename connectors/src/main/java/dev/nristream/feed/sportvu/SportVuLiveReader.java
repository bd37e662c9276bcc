package dev.nristream.feed.sportvu;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.nristream.avro.PositionFrame;
import dev.nristream.feed.FeedProblems;
import dev.nristream.feed.FrameSource;
import dev.nristream.feed.ProblemKind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.NoSuchElementException;

/**
 * A live SportVU-style feed: one JSON moment per line ({@code [period, unix_time_ms, game_clock, shot_clock, null,
 * [[team_id, player_id, x, y, z], ...]]}), from a reader (stdin) or from TCP clients connecting to a port. Frames
 * are as from {@link SportVuGameReader} (scene {@code <game>-p<period>}, de-duplicated on (period, time)); a line
 * that is not a valid moment is reported with its line number and skipped.
 *
 * <pre>{@code
 * // tail -f moments.jsonl | nc localhost 7070
 * try (SportVuLiveReader live = SportVuLiveReader.listen(7070, "0021500659", true, problems)) {
 *     live.forEachRemaining(sink);
 * }
 * }</pre>
 */
public final class SportVuLiveReader implements FrameSource {

    /** Overlapping resends in a live feed are recent: a bounded window of keys is enough. */
    private static final int LIVE_DEDUP_CAPACITY = 100_000;

    private final String source;
    private final String gameId;
    private final FeedProblems problems;
    private final SportVuMoments moments;
    private final MomentReader reader = new MomentReader();
    private final ServerSocket server;
    private final boolean keepAccepting;
    private BufferedReader in;
    private Socket client;
    private long lineNo;
    private PositionFrame next;
    private boolean done;
    private volatile boolean closed;

    private SportVuLiveReader(BufferedReader in, ServerSocket server, boolean keepAccepting, String source,
            String gameId, FeedProblems problems) {
        this.in = in;
        this.server = server;
        this.keepAccepting = keepAccepting;
        this.source = source;
        this.gameId = gameId;
        this.problems = problems;
        this.moments = new SportVuMoments(source, problems, LIVE_DEDUP_CAPACITY);
    }

    /** Reads moments from a reader (stdin) until it ends. */
    public static SportVuLiveReader fromReader(BufferedReader in, String source, String gameId,
            FeedProblems problems) {
        return new SportVuLiveReader(in, null, false, source, gameId, problems);
    }

    /**
     * Listens on a loopback-and-all-interfaces TCP port; each client sends moment lines.
     *
     * @param port port to listen on (0 picks a free one, see {@link #port()})
     * @param keepAccepting after a client disconnects, wait for the next one (until {@link #close()}); otherwise
     *     the feed ends with the first client
     */
    public static SportVuLiveReader listen(int port, String gameId, boolean keepAccepting, FeedProblems problems)
            throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress((InetAddress) null, port));
        return new SportVuLiveReader(null, server, keepAccepting, "tcp:" + server.getLocalPort(), gameId, problems);
    }

    /** The listening port, or -1 for a reader. */
    public int port() {
        return server == null ? -1 : server.getLocalPort();
    }

    @Override
    public boolean hasNext() {
        while (next == null && !done) {
            String line = readLine();
            if (line == null) {
                done = true;
                break;
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = "line " + lineNo;
            try (JsonParser p = SportVuJson.FACTORY.createParser(line)) {
                JsonToken t = p.nextToken();
                if (t != JsonToken.START_ARRAY) {
                    // Read the rest first: broken JSON is a malformed record (thrown here), valid JSON a wrong shape.
                    p.skipChildren();
                    while (p.nextToken() != null) {
                        p.skipChildren();
                    }
                    problems.report(ProblemKind.UNEXPECTED_SHAPE, source, where,
                            "a moment is a JSON array: " + SportVuMoments.abbreviate(line));
                    continue;
                }
                reader.read(p);
                if (p.nextToken() != null) {
                    problems.report(ProblemKind.MALFORMED_RECORD, source, where,
                            "text after the moment: " + SportVuMoments.abbreviate(line));
                    continue;
                }
            } catch (JsonProcessingException e) {
                problems.report(ProblemKind.MALFORMED_RECORD, source, where,
                        "not a JSON moment: " + SportVuMoments.abbreviate(line));
                continue;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            next = moments.decode(reader, gameId, where);
        }
        return next != null;
    }

    @Override
    public PositionFrame next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        PositionFrame f = next;
        next = null;
        return f;
    }

    private String readLine() {
        try {
            while (true) {
                if (in == null && !accept()) {
                    return null;
                }
                String l = in.readLine();
                if (l != null) {
                    lineNo++;
                    return l;
                }
                if (server == null) {
                    return null;
                }
                closeClient();
                if (!keepAccepting) {
                    return null;
                }
            }
        } catch (IOException e) {
            if (closed) {
                return null;
            }
            throw new UncheckedIOException(source + ": read failed at line " + lineNo, e);
        }
    }

    private boolean accept() throws IOException {
        try {
            client = server.accept();
        } catch (SocketException e) {
            if (closed) {
                return false;
            }
            throw e;
        }
        in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        return true;
    }

    private void closeClient() throws IOException {
        if (client != null) {
            client.close();
            client = null;
        }
        in = null;
    }

    @Override
    public FeedProblems problems() {
        return problems;
    }

    @Override
    public String description() {
        return source;
    }

    /** Stops the feed; safe from another thread (a shutdown hook) to unblock a waiting accept. */
    @Override
    public void close() {
        closed = true;
        try {
            if (server != null) {
                server.close();
                closeClient();
            } else if (in != null) {
                in.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
