package io.nnft.pycompat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Against numpy 1.24's np.random.RandomState (values printed by numpy itself). */
class LegacyRandomStateTest {

    @Test
    void permutationsMatchNumpy() {
        // r = RandomState(1234); r.permutation(10); r.permutation(7); r.choice(100000, 5, replace=False)
        LegacyRandomState r = new LegacyRandomState(1234);
        assertThat(r.permutation(10)).containsExactly(7, 2, 9, 1, 0, 8, 4, 5, 6, 3);
        assertThat(r.permutation(7)).containsExactly(6, 4, 0, 5, 3, 2, 1);
        assertThat(java.util.Arrays.copyOf(r.permutation(100000), 5)).containsExactly(54201, 82083, 15682, 97063, 14383);
        // RandomState(0).permutation(2**20)[:5]
        assertThat(java.util.Arrays.copyOf(new LegacyRandomState(0).permutation(1 << 20), 5))
                .containsExactly(875681, 1046907, 646861, 704385, 798051);
    }
}
