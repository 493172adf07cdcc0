import type { TeamView } from "../../../shared/classroom/views";
import { MAX_LEVEL } from "../../../shared/judging/rubric-levels";
import type { Rubric } from "../../../shared/judging/rubrics";

/**
 * Per-criterion mean levels per team as HTML bars: each bar carries its value as text and the
 * side's name, so neither colour nor length is the only cue; the table underneath is what a
 * screen reader reads.
 */
export function CriterionChart({
  rubric,
  teams,
  means,
}: {
  rubric: Rubric;
  teams: TeamView[];
  means: Record<string, Record<string, number | null>>;
}) {
  return (
    <figure className="criterion-chart">
      <figcaption>Mean level per criterion (1 to {MAX_LEVEL}), by side</figcaption>
      <table>
        <thead>
          <tr>
            <th scope="col">Criterion (weight)</th>
            {teams.map((team) => (
              <th scope="col" key={team.id}>
                {team.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rubric.criteria.map((criterion) => (
            <tr key={criterion.id}>
              <th scope="row">
                {criterion.name} ({criterion.weight}%)
              </th>
              {teams.map((team) => {
                const value = means[team.id]?.[criterion.id] ?? null;
                return (
                  <td key={team.id}>
                    <span className="bar-track" aria-hidden="true">
                      <span
                        className={`bar side-${team.sideIndex}`}
                        style={{ width: `${((value ?? 0) / MAX_LEVEL) * 100}%`, backgroundColor: team.color }}
                      />
                    </span>
                    <span className="bar-value">{value === null ? "not scored" : value.toFixed(2)}</span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
