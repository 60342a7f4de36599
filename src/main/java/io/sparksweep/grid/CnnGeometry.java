package io.sparksweep.grid;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Feature-map sizes through the CNN family's conv (stride 1) + 2x2 max-pool (stride 2, floor) blocks. Pure
 * arithmetic, so a kernel that does not fit is rejected before Spark or DL4J start.
 */
public final class CnnGeometry {
    private CnnGeometry() {
    }

    /** One block's sizes: input, after the conv, after the pool (square maps of side {@code n}). */
    public record Block(int in, int kernel, int padding, int afterConv, int afterPool) {
        boolean fits() {
            return afterConv >= 1 && afterPool >= 1;
        }
    }

    public static List<Block> blocks(int side, List<Integer> kernels, List<Integer> padding) {
        List<Block> blocks = new ArrayList<>();
        int in = side;
        for (int i = 0; i < kernels.size(); i++) {
            // In long: a padding near the int range must not wrap around into a size that fits. (The sweep file
            // bounds kernels and paddings, so the exact conversions below never fail for a checked trial.)
            long conv = (long) in + 2L * padding.get(i) - kernels.get(i) + 1;
            long pool = conv >= 2 ? conv / 2 : 0;
            blocks.add(new Block(in, kernels.get(i), padding.get(i), Math.toIntExact(conv), Math.toIntExact(pool)));
            if (pool < 1) {
                break;
            }
            in = Math.toIntExact(pool);
        }
        return blocks;
    }

    /** Empty when every block fits, otherwise a message with the computed sizes. */
    public static Optional<String> problem(int side, List<Integer> kernels, List<Integer> padding) {
        List<Block> blocks = blocks(side, kernels, padding);
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            if (!b.fits()) {
                return Optional.of(String.format(
                        "kernel %d does not fit conv layer %d: its input is %dx%d, with padding %d the conv output "
                                + "is %dx%d and the 2x2 pool needs at least 2x2 (feature maps: %s)",
                        b.kernel(), i + 1, b.in(), b.in(), b.padding(), Math.max(b.afterConv(), 0),
                        Math.max(b.afterConv(), 0), describe(side, blocks)));
            }
        }
        return Optional.empty();
    }

    private static String describe(int side, List<Block> blocks) {
        StringBuilder sb = new StringBuilder().append(side).append('x').append(side);
        for (Block b : blocks) {
            sb.append(" -conv k").append(b.kernel()).append(" p").append(b.padding()).append("-> ")
                    .append(b.afterConv()).append('x').append(b.afterConv());
            if (b.afterConv() >= 2) {
                sb.append(" -pool-> ").append(b.afterPool()).append('x').append(b.afterPool());
            }
        }
        return sb.toString();
    }
}
