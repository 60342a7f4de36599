package io.sparksweep.spark;

import io.sparksweep.BadInputException;
import io.sparksweep.data.ImageDecoder;
import io.sparksweep.data.NaturalOrder;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The listing of a folder tree of images, one subfolder per class (torchvision's {@code ImageFolder}, Keras'
 * {@code image_dataset_from_directory}): class names are the folder names in natural order; images anywhere below a
 * class folder are that class's. Dot-files and dot-folders ({@code .ipynb_checkpoints}, {@code .DS_Store}) and
 * {@code __MACOSX} are neither classes nor images; symbolic links are followed, a link back into a folder being
 * walked is not. Files without an image extension are passed over and counted. Only names, sizes and times are
 * held: nothing is read here.
 */
final class ImageFolders {
    /** One image: its class, path, size and modification time (the cache key's part). */
    record Entry(int label, String path, long size, long modified) implements Serializable {
    }

    /** A tree's listing: classes in order, images by file name then class. */
    record Listing(String root, List<String> classNames, List<Entry> images, long skipped) {
        /** Adds the path, size and time of every image: what the prepared arrays' cache is keyed by. */
        void addTo(DataCache.Fingerprint fingerprint) {
            fingerprint.add(root);
            classNames.forEach(fingerprint::add);
            images.forEach(e -> fingerprint.add(e.label() + " " + e.path() + " " + e.size() + " " + e.modified()));
        }
    }

    private ImageFolders() {
    }

    /** Lists the tree at {@code uri}; {@code key} names the sweep-file key in messages. */
    static Listing list(Configuration conf, String uri, String key) {
        Path root = new Path(uri);
        try {
            FileSystem fs = root.getFileSystem(conf);
            if (!fs.exists(root)) {
                throw new BadInputException(key + ": " + uri + " does not exist");
            }
            if (!fs.getFileStatus(root).isDirectory()) {
                throw new BadInputException(key + ": " + uri + " is a file; it must be a folder with one subfolder "
                        + "per class");
            }
            List<FileStatus> classDirs = new ArrayList<>();
            for (FileStatus status : fs.listStatus(root)) {
                if (status.isDirectory() && !hidden(status.getPath().getName())) {
                    classDirs.add(status);
                }
            }
            if (classDirs.isEmpty()) {
                throw new BadInputException(key + ": " + uri + " has no class folders: it must hold one subfolder "
                        + "per class, each with that class's images");
            }
            classDirs.sort(Comparator.comparing(s -> s.getPath().getName(), NaturalOrder.INSTANCE));
            return walkClasses(fs, uri, key, classDirs);
        } catch (IOException e) {
            throw new BadInputException(key + ": cannot list " + uri + ": " + e.getMessage(), e);
        }
    }

    private static Listing walkClasses(FileSystem fs, String uri, String key, List<FileStatus> classDirs)
            throws IOException {
        List<String> names = new ArrayList<>();
        List<Named> images = new ArrayList<>();
        long[] skipped = {0};
        for (FileStatus dir : classDirs) {
            int label = names.size();
            names.add(dir.getPath().getName());
            int before = images.size();
            walk(fs, dir.getPath(), "", label, images, skipped, new HashSet<>());
            if (images.size() == before) {
                throw new BadInputException(key + ": class folder " + dir.getPath() + " has no images (.png, .jpg, "
                        + ".jpeg, .bmp, .gif)");
            }
        }
        // By file name, then class: a tree written from a numbered dataset keeps the dataset's order.
        images.sort(Comparator.comparing(Named::name, NaturalOrder.INSTANCE)
                .thenComparingInt(n -> n.entry().label()));
        return new Listing(uri, names, images.stream().map(Named::entry).toList(), skipped[0]);
    }

    private record Named(String name, Entry entry) {
    }

    private static void walk(FileSystem fs, Path dir, String prefix, int label, List<Named> out, long[] skipped,
            Set<String> ancestors) throws IOException {
        String real = realPath(fs, dir);
        if (!ancestors.add(real)) {
            return; // a link back up the tree: walked already
        }
        for (FileStatus status : fs.listStatus(dir)) {
            String name = status.getPath().getName();
            if (hidden(name)) {
                skipped[0] += status.isDirectory() ? 0 : 1;
            } else if (status.isDirectory()) {
                walk(fs, status.getPath(), prefix + name + "/", label, out, skipped, ancestors);
            } else if (ImageDecoder.isImageName(name)) {
                out.add(new Named(prefix + name, new Entry(label, status.getPath().toString(), status.getLen(),
                        status.getModificationTime())));
            } else {
                skipped[0]++;
            }
        }
        ancestors.remove(real);
    }

    /** A folder's real path on the local disk (links resolved), else its path: what cycle detection compares. */
    private static String realPath(FileSystem fs, Path dir) {
        if (!"file".equals(fs.getUri().getScheme())) {
            return dir.toString();
        }
        try {
            return Paths.get(dir.toUri()).toRealPath().toString();
        } catch (IOException | RuntimeException e) {
            return dir.toString();
        }
    }

    static boolean hidden(String name) {
        return name.startsWith(".") || name.equals("__MACOSX");
    }
}
