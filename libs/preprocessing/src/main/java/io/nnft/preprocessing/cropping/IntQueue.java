package io.nnft.preprocessing.cropping;

/** A growable circular FIFO of ints (no boxing), for flood fills whose front is far smaller than the volume. */
final class IntQueue {
    private int[] items = new int[1 << 16];
    private int head;
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    void add(int v) {
        if (size == items.length) {
            int[] bigger = new int[items.length * 2];
            int firstPart = items.length - head;
            System.arraycopy(items, head, bigger, 0, firstPart);
            System.arraycopy(items, 0, bigger, firstPart, head);
            items = bigger;
            head = 0;
        }
        items[(head + size) & (items.length - 1)] = v;
        size++;
    }

    int poll() {
        int v = items[head];
        head = (head + 1) & (items.length - 1);
        size--;
        return v;
    }
}
