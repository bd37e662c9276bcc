package dev.nristream.feed.sportvu;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.IOException;

/**
 * Reads one SportVU moment token by token (no tree), consuming it whole whatever its shape so the stream stays in
 * step: a game has hundreds of thousands of moments and a tree per moment is the parser's main cost. Reused from
 * moment to moment; not thread-safe.
 */
final class MomentReader {

    /** Why the moment as a whole is unusable, or null. */
    String shapeProblem;
    int period;
    long time;
    int elements;
    int rowCount;
    /** Per row: team, player, x, y, z. */
    double[][] rows = new double[16][5];
    /** Per row: null when valid, else what is wrong with it. */
    String[] rowProblem = new String[16];
    /** Per row: true when the problem is a non-number (rather than a wrong shape). */
    boolean[] rowNonNumeric = new boolean[16];

    /** The parser is on the moment's START_ARRAY; returns with it on the matching END_ARRAY. */
    void read(JsonParser p) throws IOException {
        shapeProblem = null;
        rowCount = 0;
        elements = 0;
        boolean periodOk = false;
        boolean timeOk = false;
        boolean rowsOk = false;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new JsonEOFException(p, null, "end of input inside a moment");
            }
            switch (elements) {
                case 0 -> {
                    periodOk = t == JsonToken.VALUE_NUMBER_INT;
                    if (periodOk) {
                        period = p.getIntValue();
                    }
                }
                case 1 -> {
                    timeOk = t == JsonToken.VALUE_NUMBER_INT;
                    if (timeOk) {
                        time = p.getLongValue();
                    }
                }
                case 5 -> {
                    rowsOk = t == JsonToken.START_ARRAY;
                    if (rowsOk) {
                        readRows(p);
                        t = JsonToken.END_ARRAY;
                    }
                }
                default -> {
                }
            }
            if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) {
                p.skipChildren();
            }
            elements++;
        }
        if (elements < 6) {
            shapeProblem = "moment has " + elements
                    + " elements, expected 6 (period, time, game clock, shot clock, null, rows)";
        } else if (!periodOk || !timeOk || !rowsOk) {
            shapeProblem = "moment needs an integer period, an integer unix time and an array of rows";
        }
    }

    private void readRows(JsonParser p) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new JsonEOFException(p, null, "end of input inside a moment's rows");
            }
            int r = rowCount++;
            grow(r);
            rowProblem[r] = null;
            rowNonNumeric[r] = false;
            if (t != JsonToken.START_ARRAY) {
                rowProblem[r] = "row " + r + " is not an array [team_id, player_id, x, y, z]";
                if (t == JsonToken.START_OBJECT) {
                    p.skipChildren();
                }
                continue;
            }
            int n = 0;
            double[] row = rows[r];
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    throw new JsonEOFException(p, null, "end of input inside a row");
                }
                if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                    if (n < 5) {
                        row[n] = p.getDoubleValue();
                    }
                } else {
                    if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) {
                        p.skipChildren();
                    }
                    if (rowProblem[r] == null) {
                        rowProblem[r] = "row " + r + " value " + (n + 1) + " is not a number ("
                                + (t == JsonToken.VALUE_STRING ? "\"" + p.getText() + "\"" : t.asString()) + ")";
                        rowNonNumeric[r] = true;
                    }
                }
                n++;
            }
            if (n != 5 && rowProblem[r] == null) {
                rowProblem[r] = "row " + r + " has " + n + " values, expected 5 [team_id, player_id, x, y, z]";
            }
        }
    }

    private void grow(int r) {
        if (r == rows.length) {
            int n = rows.length * 2;
            double[][] nr = new double[n][];
            System.arraycopy(rows, 0, nr, 0, rows.length);
            for (int i = rows.length; i < n; i++) {
                nr[i] = new double[5];
            }
            rows = nr;
            rowProblem = java.util.Arrays.copyOf(rowProblem, n);
            rowNonNumeric = java.util.Arrays.copyOf(rowNonNumeric, n);
        }
    }
}
