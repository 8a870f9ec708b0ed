package io.governedrecovery.it.reliability;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongConsumer;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One full download of the compliance report, read as it arrives (never held whole): its rows counted, each username
 * remembered (to find a user listed twice), statuses counted, the JSON's closing fields (totals, by group, by
 * department) kept, the bytes, the time to the first byte and to the last, and how the server framed it. A transfer
 * cut off mid-way ends as {@link #failure}.
 */
public record ComplianceDownload(int status, String contentType, String transferEncoding, long contentLength,
                                 long rows, Set<String> usernames, long duplicates, Map<String, Long> statuses,
                                 Map<String, JsonNode> fields, Map<String, JsonNode> rowsByUsername, long bytes,
                                 Duration firstByte, Duration total, String errorBody, IOException failure) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    public String toString() {
        return "status " + status + ", " + rows + " rows (" + duplicates + " twice), " + statuses + ", " + bytes
                + " bytes in " + total.toMillis() + " ms, transfer '" + transferEncoding + "'"
                + (failure != null ? ", broken off: " + failure : "") + (errorBody.isEmpty() ? "" : ", body " + errorBody);
    }

    /** Whether the report arrived whole: 200, no broken transfer. */
    public boolean complete() {
        return status == 200 && failure == null;
    }

    /**
     * Downloads {@code url} (the compliance endpoint with its query) with {@code token}; {@code probe} hears the row
     * count after each row (to act mid-transfer), or is null.
     */
    public static ComplianceDownload get(String url, String token, boolean csv, LongConsumer probe) {
        return get(url, token, csv, probe, false);
    }

    /** As {@link #get(String, String, boolean, LongConsumer)}, keeping each JSON row by username when asked. */
    public static ComplianceDownload get(String url, String token, boolean csv, LongConsumer probe,
                                         boolean keepRows) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofMinutes(10)).GET().build();
        long start = System.nanoTime();
        HttpResponse<InputStream> response;
        try {
            response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            return new ComplianceDownload(0, "", "", -1, 0, Set.of(), 0, Map.of(), Map.of(), Map.of(), 0,
                    Duration.ZERO,
                    Duration.ofNanos(System.nanoTime() - start), "", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        String encoding = response.headers().firstValue("Transfer-Encoding").orElse("");
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        Reader reader = new Reader(start, probe, keepRows);
        try (Counting in = new Counting(response.body(), reader)) {
            if (response.statusCode() != 200) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return reader.result(response.statusCode(), type, encoding, length, in.bytes, body, null);
            }
            if (csv) {
                reader.csv(in);
            } else {
                reader.json(in);
            }
            return reader.result(200, type, encoding, length, in.bytes, "", null);
        } catch (IOException broken) {
            return reader.result(response.statusCode(), type, encoding, length, -1, "", broken);
        }
    }

    /** Reads rows as they come. */
    private static final class Reader {
        final long start;
        final LongConsumer probe;
        long firstByte = -1;
        long count;
        long duplicates;
        final Set<String> usernames = new HashSet<>();
        final Map<String, Long> statuses = new TreeMap<>();
        final Map<String, JsonNode> fields = new LinkedHashMap<>();
        final boolean keepRows;
        final Map<String, JsonNode> kept = new TreeMap<>();
        long bytesSeen;

        Reader(long start, LongConsumer probe, boolean keepRows) {
            this.start = start;
            this.probe = probe;
            this.keepRows = keepRows;
        }

        void row(String username, String status) {
            count++;
            if (!usernames.add(username)) {
                duplicates++;
            }
            statuses.merge(status, 1L, Long::sum);
            if (probe != null) {
                probe.accept(count);
            }
        }

        void csv(InputStream in) throws IOException {
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String header = lines.readLine();
            if (header == null || !header.startsWith("id,username,tier,status")) {
                throw new IOException("not the report's CSV header: " + header);
            }
            String line;
            while ((line = lines.readLine()) != null) {
                String[] cells = line.split(",", -1);
                row(unquote(cells[1]), unquote(cells[3]));
            }
        }

        void json(InputStream in) throws IOException {
            try (JsonParser p = JSON.getFactory().createParser(in)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw new IOException("not a JSON object");
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    if ("users".equals(field)) {
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            if (keepRows) {
                                JsonNode row = JSON.readTree(p);
                                row(row.path("username").asText(), row.path("status").asText());
                                kept.put(row.path("username").asText(), row);
                                continue;
                            }
                            // Only what is counted, token by token: the reader must not be what limits the report.
                            String username = null;
                            String status = null;
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String name = p.currentName();
                                JsonToken value = p.nextToken();
                                if ("username".equals(name)) {
                                    username = p.getValueAsString();
                                } else if ("status".equals(name)) {
                                    status = p.getValueAsString();
                                } else if (value == JsonToken.START_ARRAY || value == JsonToken.START_OBJECT) {
                                    p.skipChildren();
                                }
                            }
                            row(username, status);
                        }
                    } else {
                        fields.put(field, JSON.readTree(p));
                    }
                }
            }
        }

        ComplianceDownload result(int status, String type, String encoding, long length, long bytes, String body,
                                  IOException failure) {
            long now = System.nanoTime();
            return new ComplianceDownload(status, type, encoding, length, count, usernames, duplicates,
                    statuses, fields, kept, bytes >= 0 ? bytes : bytesSeen,
                    Duration.ofNanos(firstByte < 0 ? now - start : firstByte - start),
                    Duration.ofNanos(now - start), body, failure);
        }

        private static String unquote(String cell) {
            return cell.length() >= 2 && cell.startsWith("\"") ? cell.substring(1, cell.length() - 1)
                    .replace("\"\"", "\"") : cell;
        }
    }

    /** Counts bytes and notes when the first arrived. */
    private static final class Counting extends FilterInputStream {
        final Reader reader;
        long bytes;

        Counting(InputStream in, Reader reader) {
            super(in);
            this.reader = reader;
        }

        private void count(int n) {
            if (n > 0) {
                if (reader.firstByte < 0) {
                    reader.firstByte = System.nanoTime();
                }
                bytes += n;
                reader.bytesSeen = bytes;
            }
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count(n);
            return n;
        }
    }
}
