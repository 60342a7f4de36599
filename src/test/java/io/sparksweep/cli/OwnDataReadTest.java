package io.sparksweep.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What reading a folder tree decides and says, seen through {@code run --dry-run} (which reads the data and plans,
 * and trains and writes nothing): the default size and channels, skipped unreadable files, repeated examples.
 */
class OwnDataReadTest {
    @TempDir
    Path tmp;

    private CliRunner.Outcome dryRun(String dataset) throws IOException {
        Path sweep = Files.writeString(tmp.resolve("sweep.yaml"), "name: read\ndataset: {" + dataset
                + ", validation: none}\nparameters: {epochs: 1}\n");
        CliRunner.Outcome o = CliRunner.run("run", sweep.toString(), "--dry-run", "--master", "local[2]", "--no-ui",
                "--output", tmp.resolve("out").toString());
        assertFalse(Files.exists(tmp.resolve("out")), "a dry run writes nothing");
        return o;
    }

    @Test
    void theMostCommonSizeAndColourWhenAnyImageHasIt() throws IOException {
        Path tree = tmp.resolve("tree");
        for (int i = 0; i < 3; i++) {
            image(tree.resolve("a/a" + i + ".png"), 10, 6, 0x404040);
            image(tree.resolve("b/b" + i + ".png"), 10, 6, 0x808080);
        }
        image(tree.resolve("b/square.png"), 8, 8, 0x808080);
        image(tree.resolve("b/red.png"), 8, 8, 0xff0000); // one colour image makes the examples colour
        CliRunner.Outcome o = dryRun("images: {train: " + tree + "}");
        assertEquals(0, o.exitCode(), o.err());
        assertTrue(o.out().contains(": 3x6x10, 2 classes"), "6 high, 10 wide, colour: " + o.out());
        assertTrue(o.out().contains("split off the training data (0.2"), o.out());

        CliRunner.Outcome given = dryRun("images: {train: " + tree + ", size: [4, 4], channels: 1}");
        assertTrue(given.out().contains(": 1x4x4, 2 classes"), given.out());
    }

    @Test
    void unreadableImagesAreSkippedCountedAndNamedWhenAsked() throws IOException {
        Path tree = tmp.resolve("tree");
        OwnDataFixtures.tree(tree, 4, "a", "b");
        OwnDataFixtures.text(tree.resolve("b/broken.jpg"), "not a jpeg");
        OwnDataFixtures.text(tree.resolve("b/notes.txt"), "not an image");
        CliRunner.Outcome refused = dryRun("images: {train: " + tree + "}");
        assertEquals(Main.BAD_INPUT, refused.exitCode());
        assertTrue(refused.err().contains("broken.jpg is not a readable"), refused.err());

        CliRunner.Outcome skipped = dryRun("images: {train: " + tree + ", skip_unreadable: true}");
        assertEquals(0, skipped.exitCode(), skipped.err());
        assertTrue(skipped.out().contains("1 non-image or hidden file(s) skipped, 1 unreadable image(s) skipped "
                + "(first: file:" + tree.resolve("b/broken.jpg") + ")"), skipped.out());
    }

    @Test
    void aTestImageThatRepeatsATrainingImageIsNamedInAWarning() throws IOException {
        Path tree = tmp.resolve("tree");
        OwnDataFixtures.tree(tree.resolve("train"), 4, "a", "b");
        OwnDataFixtures.png(tree.resolve("test/a/t1.png"), 8, 1001);
        OwnDataFixtures.png(tree.resolve("test/b/t2.png"), 8, 1002);
        Files.copy(tree.resolve("train/b/b2.png"), tree.resolve("test/a/copied.png")); // and labelled otherwise
        CliRunner.Outcome o = dryRun("images: {train: " + tree.resolve("train") + ", test: " + tree.resolve("test")
                + "}");
        assertEquals(0, o.exitCode(), o.err());
        assertTrue(o.out().contains("warning: 1 test example(s) have the same values as training examples (test #0 = "
                + "train #"), o.out());
        assertTrue(o.out().contains(" (b)): their scores are partly training scores"), o.out());
    }

    private static void image(Path file, int width, int height, int rgb) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage image = new BufferedImage(width, height, (rgb & 0xff) == ((rgb >> 16) & 0xff)
                ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        ImageIO.write(image, "png", file.toFile());
    }
}
