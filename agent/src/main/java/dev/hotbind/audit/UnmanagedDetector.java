package dev.hotbind.audit;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds listening sockets of this process hotbind does not manage. The TCP table lists the whole
 * network namespace, so a LISTEN inode is ours only if one of our descriptors links to it; listing
 * /proc/self/fd is costly with many connections, so it is done only when a LISTEN socket appears
 * that was not looked up before, and paced by a {@link CostBudget}. An inode, once ours, stays ours.
 */
final class UnmanagedDetector {
    /** A new native listener shows within a minute however costly the listing is. */
    private static final long UNMANAGED_MAX_GAP_MILLIS = 60_000;

    private final KernelView kernel;
    private final CostBudget budget;
    private Set<Long> checked = Set.of();
    /** Of the inodes checked, those that are this process's: inode to descriptor. */
    private Map<Long, Integer> ours = Map.of();

    UnmanagedDetector(KernelView kernel, long minGapMillis) {
        this.kernel = kernel;
        this.budget = new CostBudget(minGapMillis, UNMANAGED_MAX_GAP_MILLIS);
    }

    /**
     * {@code listening}: LISTEN rows by inode; {@code managed}: inodes of hotbind's listeners;
     * {@code unreachedAtAttach}: why the attach discovery could not reach a listener, by inode.
     */
    List<UnmanagedListener> detect(Map<Long, KernelSocket> listening, Set<Long> managed, BitSet knownFds,
                                   Map<Long, String> unreachedAtAttach, long now) {
        Set<Long> candidates = new HashSet<>(listening.keySet());
        candidates.removeAll(managed);
        if (!checked.containsAll(candidates) && budget.due(now)) {
            long begun = CostBudget.begin();
            Map<Long, Integer> own = kernel.ownSockets(knownFds::get);
            budget.spent(now, begun);
            Map<Long, Integer> found = new HashMap<>();
            for (Long inode : candidates) {
                Integer fd = own.get(inode);
                if (fd != null) {
                    found.put(inode, fd);
                }
            }
            ours = found;
            checked = candidates;
        }
        List<UnmanagedListener> unmanaged = new ArrayList<>();
        for (Long inode : candidates) {
            Integer fd = ours.get(inode);
            if (fd != null) {
                KernelSocket k = listening.get(inode);
                unmanaged.add(new UnmanagedListener(inode, fd, k.address(), k.rxQueue(),
                        unreachedAtAttach.getOrDefault(inode, UnmanagedListener.NOT_JAVA)));
            }
        }
        return unmanaged;
    }
}
