import type { ChangeEvent, ReactNode } from 'react';
import { Icon } from '../ui/icons.js';
import { readText } from './files.js';

interface FilePickProps {
  readonly children: ReactNode;
  /** The picked file's text and name. */
  readonly onText: (text: string, name: string) => void;
  /** The file could not be read: its name. */
  readonly onError: (name: string) => void;
}

/** A button that picks a file and reads its text (it stays in the page only). */
export function FilePick({ children, onText, onError }: FilePickProps) {
  const pick = (event: ChangeEvent<HTMLInputElement>) => {
    const picker = event.target;
    const file = picker.files?.[0];
    if (file === undefined) return;
    readText(file).then(
      (read) => onText(read, file.name),
      () => onError(file.name),
    );
    // The same file can be picked again after a change.
    picker.value = '';
  };
  return (
    <label className="button file-pick">
      <Icon name="upload" /> {children}
      <input type="file" className="sr-only" onChange={pick} />
    </label>
  );
}
