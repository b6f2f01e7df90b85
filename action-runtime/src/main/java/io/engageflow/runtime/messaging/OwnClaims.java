package io.engageflow.runtime.messaging;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The outside commands this process claimed and has not recorded yet, and where each stands. It is what lets the
 * pipeline keep its promise that an outside call, once made, is recorded and never made again by this process: a
 * command whose call returned but whose result could not be recorded yet is recorded from here when it is tried
 * again; a command whose handler threw may be called again (the delivery's attempts); one in a call right now is
 * waited for like a twin on another replica. The claims are renewed in the database while they are held here.
 */
final class OwnClaims {
    enum State {
        /** Claimed (committed); no call running: the next attempt may call. */
        READY,
        /** Its call is running. */
        CALLING,
        /** Its call returned this answer, which is not recorded yet. */
        CALLED
    }

    record Claim(State state, Answer answer) {
    }

    private final ConcurrentHashMap<String, Claim> claims = new ConcurrentHashMap<>();

    /** The claim committed: the command is ours until its result is recorded. */
    void claimed(String commandId) {
        claims.putIfAbsent(commandId, new Claim(State.READY, null));
    }

    /** Takes the command for a call: true only when it is ours and no call of it runs or returned. */
    boolean startCall(String commandId) {
        boolean[] started = {false};
        claims.computeIfPresent(commandId, (id, claim) -> {
            if (claim.state() != State.READY) {
                return claim;
            }
            started[0] = true;
            return new Claim(State.CALLING, null);
        });
        return started[0];
    }

    void called(String commandId, Answer answer) {
        claims.computeIfPresent(commandId, (id, claim) -> new Claim(State.CALLED, answer));
    }

    /** The handler threw: nothing to record, the next attempt may call again. */
    void callFailed(String commandId) {
        claims.computeIfPresent(commandId, (id, claim) -> claim.state() == State.CALLING
                ? new Claim(State.READY, null) : claim);
    }

    /** Where the command stands, or null when this process holds no claim of it. */
    Claim get(String commandId) {
        return claims.get(commandId);
    }

    /** Their results are recorded (or they were parked): no longer ours. */
    void release(Collection<String> commandIds) {
        commandIds.forEach(claims::remove);
    }

    /** The claims to renew. */
    List<String> held() {
        return List.copyOf(claims.keySet());
    }
}
