import { useId } from 'react';
import type { CallOutput } from '../../../src/api/contract.js';
import { CopyButton } from '../ui/copy-button.js';

type Block = CallOutput<'setup.generate'>['blocks'][number];

/** One step of the setup: its title, where it goes, why, and the text to copy. */
export function SetupBlock({ block, revealed }: { block: Block; revealed: boolean }) {
  const titleId = useId();
  const secret = block.secret && revealed;
  return (
    <li className={secret ? 'setup-block secret' : 'setup-block'} aria-labelledby={titleId}>
      <div className="setup-head">
        <div>
          <h3 id={titleId}>{block.title}</h3>
          {block.file !== undefined && <p className="mono muted">{block.file}</p>}
        </div>
        {secret && <span className="secret-tag">Holds the secret</span>}
        <CopyButton text={block.text} label={`Copy ${block.title}`} />
      </div>
      <p className="setup-why">{block.explanation}</p>
      <pre className="code" tabIndex={0} aria-label={`${block.title}, the text`}>
        <code>{block.text}</code>
      </pre>
    </li>
  );
}
