package io.engageflow.runtime.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.ContactSnapshot;
import io.engageflow.runtime.actions.ActionOutcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OwnClaimsTest {
    private final OwnClaims claims = new OwnClaims();
    private final Answer answer = Answer.of(new ActionCommand("i:s:1", "i", "s", 1, "ws", "HttpRequest", Map.of(),
            ContactSnapshot.ofId("c"), null, null, null), ActionOutcome.success(), 10_000);

    @Test
    void aClaimedCommandIsCalledOnceAtATime() {
        assertThat(claims.startCall("i:s:1")).as("not claimed by this process").isFalse();
        claims.claimed("i:s:1");
        assertThat(claims.startCall("i:s:1")).isTrue();
        assertThat(claims.startCall("i:s:1")).as("its call runs").isFalse();
        assertThat(claims.get("i:s:1").state()).isEqualTo(OwnClaims.State.CALLING);
    }

    @Test
    void aCallThatReturnedIsNeverMadeAgainOnlyRecorded() {
        claims.claimed("i:s:1");
        claims.startCall("i:s:1");
        claims.called("i:s:1", answer);
        assertThat(claims.startCall("i:s:1")).isFalse();
        claims.callFailed("i:s:1"); // a late failure report does not undo a returned call
        assertThat(claims.get("i:s:1")).isEqualTo(new OwnClaims.Claim(OwnClaims.State.CALLED, answer));
        claims.claimed("i:s:1"); // nor does a second claim
        assertThat(claims.get("i:s:1").state()).isEqualTo(OwnClaims.State.CALLED);
    }

    @Test
    void aHandlerThatThrewMayBeCalledAgainByTheNextAttempt() {
        claims.claimed("i:s:1");
        claims.startCall("i:s:1");
        claims.callFailed("i:s:1");
        assertThat(claims.get("i:s:1").state()).isEqualTo(OwnClaims.State.READY);
        assertThat(claims.startCall("i:s:1")).isTrue();
    }

    @Test
    void releasedClaimsAreNoLongerHeldOrRenewed() {
        claims.claimed("a");
        claims.claimed("b");
        assertThat(claims.held()).containsExactlyInAnyOrder("a", "b");
        claims.release(List.of("a"));
        assertThat(claims.held()).containsExactly("b");
        assertThat(claims.get("a")).isNull();
    }
}
