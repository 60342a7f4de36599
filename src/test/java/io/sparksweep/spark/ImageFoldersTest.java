package io.sparksweep.spark;

import io.sparksweep.BadInputException;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real folder tree listed as a sweep lists it: which folders are classes, which files images, in what order. */
class ImageFoldersTest {
    @TempDir
    Path tmp;

    private static void touch(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[] {1});
    }

    @Test
    void classesInNaturalOrderHiddenFilesPassedOverLinksFollowedOnce() throws IOException {
        Path root = tmp.resolve("photos");
        for (String c : List.of("10", "2", "cat")) {
            touch(root.resolve(c).resolve("a.png"));
        }
        touch(root.resolve("2/nested/deeper/b.JPG")); // images anywhere below a class folder are its
        touch(root.resolve("2/notes.txt")); // not an image: passed over and counted
        touch(root.resolve("2/.DS_Store"));
        touch(root.resolve(".ipynb_checkpoints/x.png")); // never a class
        touch(root.resolve("__MACOSX/cat/._a.png"));
        touch(root.resolve("cat/.hidden/c.png")); // nor are dot-folders below a class
        Files.createSymbolicLink(root.resolve("cat/loop"), root.resolve("cat")); // a cycle: walked once
        Path elsewhere = tmp.resolve("elsewhere");
        touch(elsewhere.resolve("d.png"));
        Files.createSymbolicLink(root.resolve("10/linked"), elsewhere); // a link out of the tree: followed

        ImageFolders.Listing listing = ImageFolders.list(new Configuration(), root.toString(), "dataset.images.train");
        assertEquals(List.of("2", "10", "cat"), listing.classNames(), "2 before 10");
        List<String> images = listing.images().stream().map(e -> listing.classNames().get(e.label()) + ":"
                + e.path().substring(e.path().indexOf("photos/") + 7)).toList();
        // by name within the class folder, then class: every a.png, then linked/d.png, then nested/deeper/b.JPG;
        // cat/loop leads back into cat and is not walked again
        assertEquals(List.of("2:2/a.png", "10:10/a.png", "cat:cat/a.png", "10:10/linked/d.png",
                "2:2/nested/deeper/b.JPG"), images);
        assertEquals(2, listing.skipped(), "notes.txt and .DS_Store (hidden folders are not walked)");
    }

    @Test
    void aFolderWithoutClassFoldersOrAClassWithoutImagesIsRefused() throws IOException {
        Path flat = tmp.resolve("flat");
        touch(flat.resolve("a.png"));
        BadInputException e = assertThrows(BadInputException.class,
                () -> ImageFolders.list(new Configuration(), flat.toString(), "dataset.images.train"));
        assertTrue(e.getMessage().contains("has no class folders"), e.getMessage());
        Path empty = tmp.resolve("empty");
        touch(empty.resolve("a/a.png"));
        touch(empty.resolve("b/readme.md"));
        e = assertThrows(BadInputException.class,
                () -> ImageFolders.list(new Configuration(), empty.toString(), "dataset.images.train"));
        assertTrue(e.getMessage().contains("/empty/b has no images"), e.getMessage());
    }
}
