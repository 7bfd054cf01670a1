import { SealError } from './export-crypto.js';
import type { ImportCandidate, Importer, ImportInput } from './import-types.js';
import { ExportFormatError, type OpenedExport, openExport } from './sesame-export.js';
import { isShareLink, linkPayload, ShareLinkError } from './share-link.js';

/**
 * A Sesame export file or a `sesame://add/…` link as servers to save. A file whose secrets are
 * sealed needs its passphrase: without it, or with a wrong one, nothing can be imported (the
 * plan says why), so a person never ends up with servers whose secrets silently stayed behind.
 */
export async function importSesameExport(text: string, input: ImportInput): Promise<Importer> {
  let opened: OpenedExport;
  try {
    const json = isShareLink(text) ? linkPayload(text) : text;
    opened = await openExport(json, input.passphrase);
  } catch (error) {
    if (error instanceof SealError) {
      const locked = await openExport(isShareLink(text) ? linkPayload(text) : text);
      return {
        ...fromExport(locked),
        issues: [{ severity: 'error', message: error.message }],
        secrets: 'locked',
      };
    }
    if (error instanceof ExportFormatError || error instanceof ShareLinkError) {
      return { candidates: [], issues: [{ severity: 'error', message: error.message }] };
    }
    throw error;
  }
  const result = fromExport(opened);
  if (opened.hasSecrets && opened.secrets === undefined) {
    return {
      ...result,
      issues: [
        {
          severity: 'error',
          message:
            'this export holds secrets sealed with a passphrase: give the passphrase to import it',
        },
      ],
      secrets: 'locked',
    };
  }
  return { ...result, secrets: opened.hasSecrets ? 'opened' : 'none' };
}

function fromExport(opened: OpenedExport): Importer {
  const candidates = opened.servers.map((server, index): ImportCandidate => {
    const name = typeof server.name === 'string' ? server.name : `server ${index + 1}`;
    const secret = opened.secrets?.[index];
    const warnings =
      opened.hasSecrets || secret !== undefined
        ? []
        : ['the export holds no secret: enter the sequence or keys after importing'];
    return {
      source: name,
      draft: server as ImportCandidate['draft'],
      ...(secret !== undefined && { secret }),
      warnings,
      problems: [],
    };
  });
  return { candidates, issues: [] };
}
