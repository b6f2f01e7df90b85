package io.engageflow.reward.actions;

import io.engageflow.contracts.ActionCommand;
import io.engageflow.contracts.catalog.ConfigValues;
import io.engageflow.reward.persistence.RewardProfile;
import io.engageflow.runtime.actions.ActionHandler;
import io.engageflow.runtime.actions.ActionOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Issues a digital wallet card from a template. */
@ApplicationScoped
public class ContactVaultCardIssueAction implements ActionHandler {
    private final String linkBase;

    public ContactVaultCardIssueAction(@org.eclipse.microprofile.config.inject.ConfigProperty(
            name = "engageflow.rewards.card-link-base", defaultValue = "https://rewards.engageflow.local/cards")
                                       String linkBase) {
        this.linkBase = linkBase.replaceAll("/$", "");
    }

    @Override
    public String action() {
        return "ContactVaultCardIssue";
    }

    @Override
    public Uni<ActionOutcome> execute(ActionCommand command) {
        String template = ConfigValues.string(command.config(), "cardTemplate");
        return RewardProfile.forUpdate(command.workspaceId(), command.contact().id()).map(p -> {
            String id = UUID.randomUUID().toString();
            String link = linkBase + "/" + id;
            List<Map<String, Object>> cards = new ArrayList<>(p.cards());
            cards.add(Map.of("id", id, "link", link, "template", template, "issuedAt", Instant.now().toString()));
            p.cards(cards);
            p.updatedAt = Instant.now();
            return ActionOutcome.success(Map.of("card_id", id, "card_link", link));
        });
    }
}
