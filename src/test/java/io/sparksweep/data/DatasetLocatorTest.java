package io.sparksweep.data;

import com.sun.net.httpserver.HttpServer;
import io.sparksweep.BadInputException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetLocatorTest {
    @TempDir
    Path tmp;
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private Path served;

    @BeforeEach
    void serve() throws IOException {
        served = tmp.resolve("served/fashion-mnist");
        IdxFiles.writeDataset(served, 3, 1);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            Path file = tmp.resolve("served").resolve(exchange.getRequestURI().getPath().substring(1));
            if (!Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            byte[] body = Files.readAllBytes(file);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String mirror() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    private Map<DatasetKind.IdxPart, String> md5Of(Path dir) throws Exception {
        Map<DatasetKind.IdxPart, String> md5 = new EnumMap<>(DatasetKind.IdxPart.class);
        for (DatasetKind.IdxPart part : DatasetKind.IdxPart.values()) {
            byte[] digest = MessageDigest.getInstance("MD5").digest(Files.readAllBytes(dir.resolve(part.gzName())));
            md5.put(part, HexFormat.of().formatHex(digest));
        }
        return md5;
    }

    @Test
    void downloadsIntoTheCacheAndVerifiesChecksums() throws Exception {
        Path cache = tmp.resolve("cache");
        DatasetLocator locator = new DatasetLocator(null, cache, tmp.resolve("none"), true, List.of(mirror()),
                md5Of(served));
        DatasetBundle bundle = locator.load(DatasetKind.FASHION_MNIST);
        assertEquals(cache.resolve("fashion-mnist").toString(), bundle.source());
        RawDataset raw = bundle.decode();
        assertEquals(30, raw.train().count());
        assertEquals(4, requests.get());
        // second load: found in the cache, no new request
        locator.load(DatasetKind.FASHION_MNIST);
        assertEquals(4, requests.get());
    }

    @Test
    void wrongChecksumFailsAndLeavesNothingInTheCache() throws Exception {
        Path cache = tmp.resolve("cache");
        Map<DatasetKind.IdxPart, String> md5 = md5Of(served);
        md5.put(DatasetKind.IdxPart.TEST_IMAGES, "00000000000000000000000000000000");
        DatasetLocator locator = new DatasetLocator(null, cache, tmp.resolve("none"), true, List.of(mirror()), md5);
        BadInputException e = assertThrows(BadInputException.class, () -> locator.load(DatasetKind.FASHION_MNIST));
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte.gz"), e.getMessage());
        assertTrue(e.getMessage().contains("checksum mismatch: expected MD5 00000000000000000000000000000000"),
                e.getMessage());
        assertFalse(Files.exists(cache.resolve("fashion-mnist/t10k-images-idx3-ubyte.gz")));
        try (var files = Files.list(cache.resolve("fashion-mnist"))) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().contains("partial")));
        }
    }

    @Test
    void missingFileOnTheMirrorIsReported() throws Exception {
        Map<DatasetKind.IdxPart, String> md5 = md5Of(served);
        Files.delete(served.resolve("train-labels-idx1-ubyte.gz"));
        DatasetLocator locator = new DatasetLocator(null, tmp.resolve("cache"), tmp.resolve("none"), true,
                List.of(mirror()), md5);
        BadInputException e = assertThrows(BadInputException.class, () -> locator.load(DatasetKind.FASHION_MNIST));
        assertTrue(e.getMessage().contains("train-labels-idx1-ubyte.gz") && e.getMessage().contains("HTTP 404"),
                e.getMessage());
    }

    @Test
    void explicitDirectoryComesFirstAndMustBeComplete() throws IOException {
        Path explicit = tmp.resolve("mine");
        IdxFiles.writeDataset(explicit, 2, 2);
        Path system = tmp.resolve("system");
        IdxFiles.writeDataset(system.resolve("fashion-mnist"), 3, 3);
        DatasetLocator locator = new DatasetLocator(explicit, tmp.resolve("cache"), system, false, null, null);
        assertEquals(explicit, locator.locate(DatasetKind.FASHION_MNIST));

        Files.delete(explicit.resolve("t10k-labels-idx1-ubyte.gz"));
        BadInputException e = assertThrows(BadInputException.class, () -> locator.locate(DatasetKind.FASHION_MNIST));
        assertTrue(e.getMessage().contains("missing t10k-labels-idx1-ubyte.gz"), e.getMessage());
    }

    @Test
    void cacheBeforeSystemDirectoryThenNoDownloadIsAClearError() throws IOException {
        Path cache = tmp.resolve("cache");
        Path system = tmp.resolve("system");
        IdxFiles.writeDataset(system.resolve("mnist"), 2, 3);
        DatasetLocator locator = new DatasetLocator(null, cache, system, false, null, null);
        assertEquals(system.resolve("mnist"), locator.locate(DatasetKind.MNIST));
        IdxFiles.writeDataset(cache.resolve("mnist"), 2, 4);
        assertEquals(cache.resolve("mnist"), locator.locate(DatasetKind.MNIST));
        BadInputException e = assertThrows(BadInputException.class, () -> locator.locate(DatasetKind.FASHION_MNIST));
        assertTrue(e.getMessage().contains("downloads are off"), e.getMessage());
    }

    @Test
    void uncompressedFilesAreAcceptedToo() throws IOException {
        Path dir = tmp.resolve("raw");
        IdxFiles.writeDataset(dir, 2, 5);
        for (DatasetKind.IdxPart part : DatasetKind.IdxPart.values()) {
            byte[] gz = Files.readAllBytes(dir.resolve(part.gzName()));
            Files.write(dir.resolve(part.baseName()), new GZIPInputStream(
                    new ByteArrayInputStream(gz)).readAllBytes());
            Files.delete(dir.resolve(part.gzName()));
        }
        RawDataset raw = new DatasetLocator(dir, tmp, tmp, false, null, null).load(DatasetKind.MNIST).decode();
        assertEquals(20, raw.test().count());
    }
}
