package io.sparksweep.data;

import io.sparksweep.BadInputException;
import io.sparksweep.UserFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds a dataset's IDX files and reads them into a {@link DatasetBundle}. Lookup order: an explicit directory
 * ({@code --data-dir} or {@code SPARKSWEEP_DATA_DIR}), the user cache, the system dataset directory (Debian's
 * {@code dataset-fashion-mnist} installs {@code /usr/share/datasets/fashion-mnist}), then a download from the
 * official mirrors into the user cache, verified by checksum.
 *
 * <p>A directory holds a dataset when it (or its subdirectory named after the dataset) has all four files, each
 * gzipped ({@code train-images-idx3-ubyte.gz}) or not ({@code train-images-idx3-ubyte}).
 */
public final class DatasetLocator {
    public static final String DATA_DIR_ENV = "SPARKSWEEP_DATA_DIR";
    public static final String MIRROR_ENV = "SPARKSWEEP_DATASET_MIRROR";

    private final Path explicitDir;
    private final Path cacheRoot;
    private final Path systemRoot;
    private final boolean allowDownload;
    private final List<String> mirrorOverride;
    private final Map<DatasetKind.IdxPart, String> md5Override;
    private final DatasetDownloader downloader = new DatasetDownloader();

    DatasetLocator(Path explicitDir, Path cacheRoot, Path systemRoot, boolean allowDownload,
            List<String> mirrorOverride, Map<DatasetKind.IdxPart, String> md5Override) {
        this.explicitDir = explicitDir;
        this.cacheRoot = cacheRoot;
        this.systemRoot = systemRoot;
        this.allowDownload = allowDownload;
        this.mirrorOverride = mirrorOverride;
        this.md5Override = md5Override;
    }

    /**
     * The locator for this machine: {@code explicitDir} (or {@code SPARKSWEEP_DATA_DIR} when null), the user cache
     * under {@code $XDG_CACHE_HOME} or {@code ~/.cache}, {@code /usr/share/datasets}, and the official mirrors (or
     * {@code SPARKSWEEP_DATASET_MIRROR}, a base URL holding {@code <dataset>/<file>.gz}).
     */
    public static DatasetLocator standard(Path explicitDir, boolean allowDownload) {
        Path explicit = explicitDir;
        if (explicit == null && System.getenv(DATA_DIR_ENV) != null && !System.getenv(DATA_DIR_ENV).isBlank()) {
            explicit = Path.of(System.getenv(DATA_DIR_ENV));
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cacheBase = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".cache");
        String mirror = System.getenv(MIRROR_ENV);
        List<String> mirrors = mirror == null || mirror.isBlank() ? null : List.of(mirror);
        return new DatasetLocator(explicit, cacheBase.resolve("sparksweep").resolve("datasets"),
                Path.of("/usr/share/datasets"), allowDownload, mirrors, null);
    }

    /** Finds the dataset's files (downloading them if allowed and nowhere else to be found) and reads them. */
    public DatasetBundle load(DatasetKind kind) {
        Path dir = locate(kind);
        Map<DatasetKind.IdxPart, byte[]> files = new EnumMap<>(DatasetKind.IdxPart.class);
        for (DatasetKind.IdxPart part : DatasetKind.IdxPart.values()) {
            Path file = fileIn(dir, part).orElseThrow();
            try {
                files.put(part, Files.readAllBytes(file));
            } catch (IOException e) {
                throw new BadInputException("cannot read " + file + ": " + UserFiles.reason(file, e), e);
            }
        }
        return DatasetBundle.of(kind, dir.toString(), files);
    }

    /** The directory that holds the dataset's four files. */
    public Path locate(DatasetKind kind) {
        if (explicitDir != null) {
            if (!Files.isDirectory(explicitDir)) {
                throw new BadInputException("data directory " + explicitDir + " " + (Files.exists(explicitDir)
                        ? "is a file, not a directory" : "does not exist"));
            }
            for (Path candidate : List.of(explicitDir.resolve(kind.key()), explicitDir)) {
                if (hasAllFiles(candidate)) {
                    return candidate;
                }
            }
            throw new BadInputException("data directory " + explicitDir + " has no complete " + kind.key()
                    + " dataset: missing " + String.join(", ", missing(explicitDir)) + " (looked in " + explicitDir + " and "
                    + explicitDir.resolve(kind.key()) + ")");
        }
        Path cache = cacheRoot.resolve(kind.key());
        if (hasAllFiles(cache)) {
            return cache;
        }
        Path system = systemRoot.resolve(kind.key());
        if (hasAllFiles(system)) {
            return system;
        }
        if (!allowDownload) {
            throw new BadInputException("dataset " + kind.key() + " not found in " + cache + " or " + system
                    + ", and downloads are off: pass --data-dir, or install it (Debian: apt-get install dataset-"
                    + kind.key() + " where packaged)");
        }
        List<String> mirrors = mirrorOverride == null ? kind.mirrors()
                : mirrorOverride.stream().map(m -> m.endsWith("/") ? m + kind.key() + "/" : m + "/" + kind.key() + "/")
                        .toList();
        Map<DatasetKind.IdxPart, String> md5 = new EnumMap<>(DatasetKind.IdxPart.class);
        for (DatasetKind.IdxPart part : DatasetKind.IdxPart.values()) {
            md5.put(part, md5Override != null ? md5Override.get(part) : kind.gzMd5(part));
        }
        downloader.download(kind, mirrors, md5, cache);
        return cache;
    }

    private static boolean hasAllFiles(Path dir) {
        return Files.isDirectory(dir) && missing(dir).isEmpty();
    }

    private static List<String> missing(Path dir) {
        List<String> missing = new ArrayList<>();
        for (DatasetKind.IdxPart part : DatasetKind.IdxPart.values()) {
            if (fileIn(dir, part).isEmpty()) {
                missing.add(part.gzName());
            }
        }
        return missing;
    }

    private static Optional<Path> fileIn(Path dir, DatasetKind.IdxPart part) {
        for (String name : List.of(part.gzName(), part.baseName())) {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }
}
