package io.sparksweep.data;

/** The contents of one IDX file of unsigned bytes: its dimensions and its data, row-major. */
public record IdxArray(int[] dims, byte[] data) {
    public int count() {
        return dims[0];
    }

    /** Values per item: 1 for labels, rows * cols for images. */
    public int itemSize() {
        int size = 1;
        for (int i = 1; i < dims.length; i++) {
            size *= dims[i];
        }
        return size;
    }
}
