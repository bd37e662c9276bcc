package dev.nristream.plot;

import java.util.ArrayList;
import java.util.List;

/**
 * Mean edge probability of one type between groups of agents (teams: CLE, OPP, ball), sender group by receiver
 * group, as the NRI paper's Fig. 8 summarises basketball: each cell averages the directed edges from an agent of the
 * row's group to another agent of the column's group; NaN where there is no such edge (the ball and itself).
 *
 * <pre>{@code
 * Heatmap h = GroupHeatmap.of(probs, List.of("CLE", ..., "OPP", ..., "ball"), 1, "type 1: pass");
 * }</pre>
 */
public final class GroupHeatmap {
    private GroupHeatmap() {
    }

    /** The groups in order of their first agent. */
    public static List<String> groups(List<String> groupOfAgent) {
        List<String> out = new ArrayList<>();
        for (String g : groupOfAgent) {
            if (!out.contains(g)) {
                out.add(g);
            }
        }
        return out;
    }

    /**
     * Each agent's team and roster position, e.g. {@code CLE G}, {@code OPP C}; the ball (team {@code ball}) is
     * {@code ball}. A name in parentheses ({@code F (James)}) is dropped: the group is the position.
     */
    public static List<String> teamRoles(List<String> teams, List<String> roles) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < teams.size(); i++) {
            String team = teams.get(i);
            String role = roles.get(i).replaceAll("\\s*\\(.*\\)", "").strip();
            out.add(team.equals(role) ? team : team + " " + role);
        }
        return out;
    }

    /** [sender group][receiver group] mean probability of {@code type}. */
    public static double[][] means(MeanEdgeProbabilities p, List<String> groupOfAgent, int type) {
        if (groupOfAgent.size() != p.atoms()) {
            throw new IllegalArgumentException(groupOfAgent.size() + " team labels for " + p.atoms() + " agents");
        }
        List<String> groups = groups(groupOfAgent);
        int g = groups.size();
        double[][] sum = new double[g][g];
        int[][] count = new int[g][g];
        for (int receiver = 0; receiver < p.atoms(); receiver++) {
            for (int sender = 0; sender < p.atoms(); sender++) {
                if (receiver != sender) {
                    int a = groups.indexOf(groupOfAgent.get(sender));
                    int b = groups.indexOf(groupOfAgent.get(receiver));
                    sum[a][b] += p.probability(receiver, sender, type);
                    count[a][b]++;
                }
            }
        }
        for (int a = 0; a < g; a++) {
            for (int b = 0; b < g; b++) {
                sum[a][b] = count[a][b] == 0 ? Double.NaN : sum[a][b] / count[a][b];
            }
        }
        return sum;
    }

    public static Heatmap of(MeanEdgeProbabilities p, List<String> groupOfAgent, int type, String title) {
        List<String> groups = groups(groupOfAgent);
        return new Heatmap(title, groups, groups, means(p, groupOfAgent, type), "sender", "receiver");
    }
}
