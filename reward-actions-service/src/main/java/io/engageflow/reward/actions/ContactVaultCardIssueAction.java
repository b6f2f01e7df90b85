package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.reward.config.RewardSettings;
import io.engageflow.runtime.actions.ActionConfig.Required;
import io.engageflow.runtime.actions.ActionOutcome;
import io.engageflow.runtime.actions.TypedLocalAction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/** Issues a digital wallet card from a template. */
@ApplicationScoped
public class ContactVaultCardIssueAction implements TypedLocalAction<ContactVaultCardIssueAction.Card> {
    /** The config: the card's template. */
    record Card(@Required String cardTemplate) {
    }

    private final ProfileChanges changes;
    private final String linkBase;

    public ContactVaultCardIssueAction(ProfileChanges changes, RewardSettings settings) {
        this.changes = changes;
        this.linkBase = settings.cardLinkBase().replaceAll("/$", "");
    }

    @Override
    public String action() {
        return "ContactVaultCardIssue";
    }

    @Override
    public Class<Card> configType(String action) {
        return Card.class;
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command, Card config, SqlConnection tx) {
        return changes.apply(command, tx, profile -> {
            String id = UUID.randomUUID().toString();
            return profile.issueCard(id, linkBase + "/" + id, config.cardTemplate(), Instant.now());
        });
    }
}
