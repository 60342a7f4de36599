package io.sparksweep.grid;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Feature-map sizes through the CNN family's conv (stride 1) + 2x2 max-pool (stride 2, floor) blocks, for
 * {@code height x width} inputs. Pure arithmetic, so a kernel that does not fit is rejected before Spark or DL4J
 * start.
 */
public final class CnnGeometry {
    private CnnGeometry() {
    }

    /** One side's sizes through one block: input, after the conv, after the pool. */
    public record Side(int in, int afterConv, int afterPool) {
        boolean fits() {
            return afterConv >= 1 && afterPool >= 1;
        }
    }

    /** One block's sizes, height and width. */
    public record Block(int kernel, int padding, Side height, Side width) {
        boolean fits() {
            return height.fits() && width.fits();
        }

        public int pooledHeight() {
            return height.afterPool();
        }

        public int pooledWidth() {
            return width.afterPool();
        }
    }

    public static List<Block> blocks(int height, int width, List<Integer> kernels, List<Integer> padding) {
        List<Block> blocks = new ArrayList<>();
        int h = height;
        int w = width;
        for (int i = 0; i < kernels.size(); i++) {
            Block block = new Block(kernels.get(i), padding.get(i), side(h, kernels.get(i), padding.get(i)),
                    side(w, kernels.get(i), padding.get(i)));
            blocks.add(block);
            if (!block.fits()) {
                break;
            }
            h = block.pooledHeight();
            w = block.pooledWidth();
        }
        return blocks;
    }

    private static Side side(int in, int kernel, int padding) {
        // In long: a padding near the int range must not wrap around into a size that fits. (The sweep file bounds
        // kernels and paddings, so the exact conversions below never fail for a checked trial.)
        long conv = (long) in + 2L * padding - kernel + 1;
        long pool = conv >= 2 ? conv / 2 : 0;
        return new Side(in, Math.toIntExact(conv), Math.toIntExact(pool));
    }

    /** Empty when every block fits, otherwise a message with the computed sizes. */
    public static Optional<String> problem(int height, int width, List<Integer> kernels, List<Integer> padding) {
        List<Block> blocks = blocks(height, width, kernels, padding);
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            if (!b.fits()) {
                return Optional.of(String.format(
                        "kernel %d does not fit conv layer %d: its input is %dx%d, with padding %d the conv output "
                                + "is %dx%d and the 2x2 pool needs at least 2x2 (feature maps: %s)",
                        b.kernel(), i + 1, b.height().in(), b.width().in(), b.padding(),
                        Math.max(b.height().afterConv(), 0), Math.max(b.width().afterConv(), 0),
                        describe(height, width, blocks)));
            }
        }
        return Optional.empty();
    }

    private static String describe(int height, int width, List<Block> blocks) {
        StringBuilder sb = new StringBuilder().append(height).append('x').append(width);
        for (Block b : blocks) {
            sb.append(" -conv k").append(b.kernel()).append(" p").append(b.padding()).append("-> ")
                    .append(b.height().afterConv()).append('x').append(b.width().afterConv());
            if (b.height().afterConv() >= 2 && b.width().afterConv() >= 2) {
                sb.append(" -pool-> ").append(b.pooledHeight()).append('x').append(b.pooledWidth());
            }
        }
        return sb.toString();
    }
}
