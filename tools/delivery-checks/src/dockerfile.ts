import { readFileSync } from 'node:fs';
import {
  DockerfileParser,
  type Instruction,
  JSONInstruction,
  PropertyInstruction,
} from 'dockerfile-ast';
import { isPinnedImage } from './images.js';

/** Names of build arguments and environment variables that would bake a secret into the image. */
const secretName = /(SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE_KEY|API_KEY|ACCESS_KEY|CREDENTIALS?)$/i;

export type DockerfileFacts = {
  bases: string[];
  finalUser: string | undefined;
  finalHealthcheck: boolean;
  runs: string[];
  entrypoint: string[];
  cmd: string[];
  variables: Array<{ keyword: 'ARG' | 'ENV'; name: string; value: string | null }>;
};

/** What the rules look at, read from the parsed Dockerfile. */
export function readDockerfile(path: string): DockerfileFacts {
  const dockerfile = DockerfileParser.parse(readFileSync(path, 'utf8'));
  const instructions = dockerfile.getInstructions();
  const lastFrom = instructions.findLastIndex((instruction) => instruction.getKeyword() === 'FROM');
  const finalStage = instructions.slice(lastFrom);
  const json = (keyword: string) => {
    const instruction = finalStage.findLast((candidate) => candidate.getKeyword() === keyword);
    return instruction instanceof JSONInstruction
      ? instruction.getJSONStrings().map((part) => part.getJSONValue())
      : [];
  };
  const variables = instructions.flatMap((instruction: Instruction) => {
    const keyword = instruction.getKeyword();
    if ((keyword !== 'ARG' && keyword !== 'ENV') || !(instruction instanceof PropertyInstruction))
      return [];
    return instruction.getProperties().map((property) => ({
      keyword: keyword as 'ARG' | 'ENV',
      name: property.getName(),
      value: property.getValue(),
    }));
  });
  return {
    bases: dockerfile.getFROMs().map((from) => from.getImage() ?? ''),
    finalUser:
      finalStage
        .findLast((instruction) => instruction.getKeyword() === 'USER')
        ?.getArgumentsContent() ?? undefined,
    finalHealthcheck: finalStage.some((instruction) => instruction.getKeyword() === 'HEALTHCHECK'),
    runs: instructions
      .filter((instruction) => instruction.getKeyword() === 'RUN')
      .map((instruction) => instruction.getArgumentsContent() ?? ''),
    entrypoint: json('ENTRYPOINT'),
    cmd: json('CMD'),
    variables,
  };
}

/**
 * The rules every image of the project keeps; returns what breaks them (empty when none):
 * a non-root USER in the final stage, base images pinned to an exact version (or digest),
 * a HEALTHCHECK, and no secret in an ARG or ENV.
 */
export function dockerfileViolations(facts: DockerfileFacts): string[] {
  const violations: string[] = [];
  for (const base of facts.bases) {
    if (!isPinnedImage(base))
      violations.push(`base image ${base} is not pinned to an exact version`);
  }
  const user = facts.finalUser?.split(':')[0];
  if (!user || user === 'root' || user === '0')
    violations.push('the final stage does not switch to a non-root USER');
  if (!facts.finalHealthcheck) violations.push('the final stage has no HEALTHCHECK');
  for (const variable of facts.variables) {
    if (secretName.test(variable.name)) {
      violations.push(`${variable.keyword} ${variable.name} would put a secret into the image`);
    }
  }
  return violations;
}
