package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.reward.domain.RewardConfig;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.LocalAction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Issues a digital wallet card from a template. */
@ApplicationScoped
public class ContactVaultCardIssueAction implements LocalAction {
    private final ProfileChanges changes;
    private final String linkBase;

    public ContactVaultCardIssueAction(ProfileChanges changes, @ConfigProperty(
            name = "engageflow.rewards.card-link-base", defaultValue = "https://rewards.engageflow.local/cards")
                                       String linkBase) {
        this.changes = changes;
        this.linkBase = linkBase.replaceAll("/$", "");
    }

    @Override
    public String action() {
        return "ContactVaultCardIssue";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command, SqlConnection tx) {
        return changes.apply(command, tx, RewardConfig.text(command.config(), "cardTemplate"), (profile, template) -> {
            String id = UUID.randomUUID().toString();
            return profile.issueCard(id, linkBase + "/" + id, template, Instant.now());
        });
    }
}
