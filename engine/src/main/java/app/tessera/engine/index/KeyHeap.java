package app.tessera.engine.index;

import java.util.Arrays;

/** A bounded max-heap of ranking keys, for candidates that arrive in no particular order. */
final class KeyHeap {
  private final long[] heap;
  private int size;

  KeyHeap(int capacity) {
    this.heap = new long[capacity];
  }

  boolean isFull() {
    return size == heap.length;
  }

  /** The largest key held; only meaningful when not empty. */
  long max() {
    return heap[0];
  }

  /** True when {@code key} would enter the heap. */
  boolean accepts(long key) {
    return size < heap.length || (size > 0 && key < heap[0]);
  }

  void offer(long key) {
    if (size < heap.length) {
      int i = size++;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (heap[parent] >= key) {
          break;
        }
        heap[i] = heap[parent];
        i = parent;
      }
      heap[i] = key;
    } else if (size > 0 && key < heap[0]) {
      int i = 0;
      while (true) {
        int child = 2 * i + 1;
        if (child >= size) {
          break;
        }
        if (child + 1 < size && heap[child + 1] > heap[child]) {
          child++;
        }
        if (heap[child] <= key) {
          break;
        }
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = key;
    }
  }

  long[] sortedKeys() {
    long[] result = Arrays.copyOf(heap, size);
    Arrays.sort(result);
    return result;
  }
}
