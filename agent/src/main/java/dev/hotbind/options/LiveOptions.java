package dev.hotbind.options;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The agent options in effect. A repeat attach changes them while hotbind runs, and each part that
 * depends on one (the socket policy, the orphan audit, the drain on exit) follows the change.
 */
public final class LiveOptions {
    /** A part of hotbind that applies the options to itself. */
    public interface Follower {
        void changed(AgentOptions before, AgentOptions after);
    }

    private final List<Follower> followers = new CopyOnWriteArrayList<>();
    private volatile AgentOptions current;

    public LiveOptions(AgentOptions initial) {
        this.current = initial;
    }

    public AgentOptions current() {
        return current;
    }

    public void follow(Follower follower) {
        followers.add(follower);
    }

    /**
     * Lays a repeat attach's options over those in effect and has every follower apply them; answers
     * what changed. An option that cannot change is refused before anything is changed.
     */
    public synchronized String change(AgentOptions changes) {
        AgentOptions before = current;
        AgentOptions after = before.with(changes);
        String changed = after.changesFrom(before);
        if (changed.isEmpty()) {
            return "nothing changed: every option given already has that value; in effect: " + before;
        }
        current = after;
        for (Follower follower : followers) {
            follower.changed(before, after);
        }
        return "changed " + changed + "; in effect: " + after;
    }
}
