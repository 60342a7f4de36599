package io.sparksweep.results;

import io.sparksweep.spark.SparkSessions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hadoop's local file system without chmod and readlink processes: the same answers as Hadoop's own. */
class ForklessLocalFileSystemTest {
    @TempDir
    java.nio.file.Path tmp;

    private static FileSystem forkless() throws Exception {
        FileSystem fs = new ForklessLocalFileSystem();
        fs.initialize(URI.create("file:///"), new Configuration());
        return fs;
    }

    @Test
    void everyModeIsSetAsHadoopWritesIt() throws Exception {
        java.nio.file.Path file = Files.createFile(tmp.resolve("f"));
        FileSystem fs = forkless();
        for (short mode = 0; mode < 01000; mode++) {
            FsPermission permission = new FsPermission(mode);
            fs.setPermission(new Path(file.toUri()), permission);
            // Hadoop's rwx string of the mode is what chmod would have set
            assertEquals(permission.toString(), PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                    "mode " + Integer.toOctalString(mode));
        }
        // as chmod's failure did: an IOException naming the file
        IOException missing = assertThrows(IOException.class, () -> fs.setPermission(
                new Path(tmp.resolve("none").toUri()), new FsPermission((short) 0644)));
        assertTrue(missing.getMessage().contains("none"), missing.getMessage());
    }

    @Test
    void filesAndFoldersItCreatesGetTheUmaskedModes() throws Exception {
        FileSystem fs = forkless();
        Path dir = new Path(tmp.resolve("a/b").toUri());
        assertTrue(fs.mkdirs(dir, new FsPermission((short) 0750)));
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("a/b"))));
        try (FSDataOutputStream out = fs.create(new Path(dir, "f"), new FsPermission((short) 0640), true, 4096,
                (short) 1, 1 << 20, null)) {
            out.writeUTF("x");
        }
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                tmp.resolve("a/b/f"))));
        assertTrue(Files.exists(tmp.resolve("a/b/.f.crc")), "checksums are kept, as Hadoop's local file system does");
    }

    /** Hadoop's answers, without asking readlink for a path that is no link (a symbolic link still goes to it). */
    @Test
    void linkStatusIsHadoopsOwn() throws Exception {
        java.nio.file.Path file = Files.writeString(tmp.resolve("file"), "12345");
        java.nio.file.Path link = Files.createSymbolicLink(tmp.resolve("link"), file);
        FileSystem fs = forkless();
        FileSystem hadoops = new LocalFileSystem();
        hadoops.initialize(URI.create("file:///"), new Configuration());
        for (java.nio.file.Path p : List.of(file, link)) {
            FileStatus ours = fs.getFileLinkStatus(new Path(p.toUri()));
            FileStatus theirs = hadoops.getFileLinkStatus(new Path(p.toUri()));
            assertEquals(theirs.isSymlink(), ours.isSymlink(), p.toString());
            assertEquals(theirs.getLen(), ours.getLen(), p.toString());
            assertEquals(theirs.getPath(), ours.getPath(), p.toString());
            assertEquals(theirs.getPermission(), ours.getPermission(), p.toString());
        }
        assertFalse(fs.getFileLinkStatus(new Path(file.toUri())).isSymlink());
        assertThrows(FileNotFoundException.class, () -> fs.getFileLinkStatus(new Path(tmp.resolve("none").toUri())));
    }

    /** Delta's log store commits through FileContext: a create and a rename that must not replace. */
    @Test
    void fileContextCommitsThroughIt() throws Exception {
        Configuration conf = new Configuration();
        conf.set("fs.AbstractFileSystem.file.impl", ForklessLocalFileSystem.Fs.class.getName());
        FileContext fc = FileContext.getFileContext(URI.create("file:///"), conf);
        Path temp = new Path(tmp.resolve(".0.json.tmp").toUri());
        Path commit = new Path(tmp.resolve("0.json").toUri());
        try (FSDataOutputStream out = fc.create(temp, EnumSet.of(CreateFlag.CREATE))) {
            out.writeBytes("{}");
        }
        fc.rename(temp, commit, Options.Rename.NONE);
        assertEquals("{}", Files.readString(tmp.resolve("0.json")));
        try (FSDataOutputStream out = fc.create(temp, EnumSet.of(CreateFlag.CREATE))) {
            out.writeBytes("{\"second\": 1}");
        }
        assertThrows(FileAlreadyExistsException.class,
                () -> fc.rename(temp, commit, Options.Rename.NONE), "a commit never replaces another");
    }

    /** Through the sessions `run`, `query` and `report` start (SparkSessions.open), not a test's own. */
    @Test
    void sessionsSparkSweepStartsUseIt() throws Exception {
        try (SparkSessions.Handle handle = SparkSessions.open("forkless", "local[1]", false)) {
            assertTrue(handle.owned(), "a session of this test, not one another test left running");
            Configuration conf = handle.session().sparkContext().hadoopConfiguration();
            // a new instance: FileSystem.get may return one cached by an earlier test of this JVM
            FileSystem fs = FileSystem.newInstance(tmp.toUri(), conf);
            assertInstanceOf(ForklessLocalFileSystem.class, fs);
            assertEquals(ForklessLocalFileSystem.Fs.class.getName(), conf.get("fs.AbstractFileSystem.file.impl"));
            assertEquals("256k", handle.session().sparkContext().getConf().get("spark.broadcast.blockSize"));
        }
    }
}
