package io.sparksweep.results;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFs;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FsConstants;
import org.apache.hadoop.fs.FsServerDefaults;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.local.LocalConfigKeys;
import org.apache.hadoop.fs.permission.FsPermission;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Hadoop's local file system ({@code file:}, checksums and all) without a process per call. Without Hadoop's native
 * library, which Spark does not ship, {@link RawLocalFileSystem} runs {@code chmod} for every file and folder it
 * creates and {@code readlink} for every path a rename touches: a Delta commit forked about 14 processes, and a
 * 10-trial sweep's driver about 330 (2.7 s of CPU, docs/benchmarks.md). Java answers both itself. SparkSessions
 * installs it for {@code file:} as {@code fs.file.impl}, and {@link Fs} as {@code fs.AbstractFileSystem.file.impl}
 * (the API Delta's log store commits through).
 */
public final class ForklessLocalFileSystem extends LocalFileSystem {
    public ForklessLocalFileSystem() {
        super(new Raw());
    }

    /** Hadoop's raw local file system, asking Java instead of {@code chmod} and {@code readlink}. */
    static final class Raw extends RawLocalFileSystem {
        private static final PosixFilePermission[] BITS = {
                PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

        @Override
        public void setPermission(Path p, FsPermission permission) throws IOException {
            if (permission.getStickyBit()) { // not expressible in Java's file API
                super.setPermission(p, permission);
                return;
            }
            Files.setPosixFilePermissions(pathToFile(p).toPath(), posix(permission.toShort()));
        }

        /** Hadoop's answer for a path that is not a symbolic link is its status: Java tells links apart. */
        @Override
        public FileStatus getFileLinkStatus(Path f) throws IOException {
            return Files.isSymbolicLink(pathToFile(f).toPath()) ? super.getFileLinkStatus(f) : getFileStatus(f);
        }

        static Set<PosixFilePermission> posix(short mode) {
            Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
            for (int bit = 0; bit < BITS.length; bit++) {
                if ((mode & (1 << bit)) != 0) {
                    set.add(BITS[bit]);
                }
            }
            return set;
        }
    }

    /** The same for Hadoop's {@code FileContext} API: Hadoop's {@code LocalFs}, over {@link Raw}. */
    public static final class Fs extends ChecksumFs {
        /** The constructor Hadoop instantiates it by; like Hadoop's {@code LocalFs}, it is always {@code file:///}. */
        public Fs(URI uri, Configuration conf) throws IOException, URISyntaxException {
            super(new RawFs(conf));
        }
    }

    /** Hadoop's {@code RawLocalFs} (whose constructors are not public), over {@link Raw}. */
    static final class RawFs extends DelegateToFileSystem {
        RawFs(Configuration conf) throws IOException, URISyntaxException {
            super(FsConstants.LOCAL_FS_URI, new Raw(), conf, FsConstants.LOCAL_FS_URI.getScheme(), false);
        }

        @Override
        public int getUriDefaultPort() {
            return -1;
        }

        @Override
        public FsServerDefaults getServerDefaults(Path f) throws IOException {
            return LocalConfigKeys.getServerDefaults();
        }

        @Override
        @SuppressWarnings("deprecation")
        public FsServerDefaults getServerDefaults() throws IOException {
            return LocalConfigKeys.getServerDefaults();
        }

        @Override
        public boolean isValidName(String src) {
            return true; // as Hadoop's: any local path is a valid name
        }
    }
}
