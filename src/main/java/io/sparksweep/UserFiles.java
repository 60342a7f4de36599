package io.sparksweep;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads files a user names (sweep files) and says in words why one cannot be read: missing, a dangling link, a
 * directory, no permission, too large, not UTF-8. Only regular files are opened, so a device or a pipe never
 * blocks or streams without end, and no more than the limit is ever read.
 */
public final class UserFiles {
    private UserFiles() {
    }

    /** Why {@code path} cannot be used as a file to read, or null when it is a readable regular file. */
    public static String problem(Path path) {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return "does not exist";
        }
        if (Files.isSymbolicLink(path) && !Files.exists(path)) {
            return "is a broken symbolic link" + linkTarget(path);
        }
        if (Files.isDirectory(path)) {
            return "is a directory, not a file";
        }
        if (!Files.isRegularFile(path)) {
            return "is not a regular file (a device, pipe or socket)";
        }
        if (!Files.isReadable(path)) {
            return "is not readable (permission denied)";
        }
        return null;
    }

    /** The reason in words for an I/O error on {@code path}. */
    public static String reason(Path path, IOException e) {
        if (e instanceof NoSuchFileException) {
            return "does not exist";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        String problem = problem(path);
        return problem != null ? problem : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /**
     * The whole file as strict UTF-8 text.
     *
     * @throws IllegalArgumentException with the reason in words (the caller adds the path)
     */
    public static String readUtf8(Path file, int maxBytes) {
        String problem = problem(file);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot be read: " + reason(file, e));
        }
        if (bytes.length > maxBytes) {
            throw new IllegalArgumentException("is larger than " + maxBytes / 1024 + " KiB, the limit for this file");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = StandardCharsets.UTF_8.newDecoder().decode(in, out, true);
        if (result.isError()) {
            throw new IllegalArgumentException("is not UTF-8 text (byte 0x%02x at offset %d)"
                    .formatted(bytes[in.position()] & 0xff, in.position()));
        }
        return out.flip().toString();
    }

    private static String linkTarget(Path path) {
        try {
            return " (to " + Files.readSymbolicLink(path) + ")";
        } catch (IOException e) {
            return "";
        }
    }
}
