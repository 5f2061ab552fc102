// The shared BIB form (widgets/shared/bib-field.ts) of pf-bib-search and pf-certificate, rendered on its own.
import { expect } from '@open-wc/testing';
import { render } from 'lit';
import { BIB_MAX_LENGTH } from '../../../core/bib.ts';
import { bibField, bibProblemText, type BibFieldOptions } from '../../../widgets/shared/bib-field.ts';

const messages = {
  empty: () => 'empty',
  long: (max: number) => `long ${max}`,
  chars: () => 'chars',
};

function mount(o: Partial<BibFieldOptions> = {}) {
  const host = document.createElement('div');
  document.body.append(host);
  const calls: string[] = [];
  render(
    bibField({
      ids: { input: 'in', problem: 'in-problem', hint: 'in-hint' },
      value: '',
      problem: null,
      formLabel: 'Find it',
      label: 'Your BIB number',
      hint: 'e.g. 427',
      submit: 'Go',
      onSubmit: (e) => {
        e.preventDefault();
        calls.push('submit');
      },
      onInput: () => calls.push('input'),
      ...o,
    }),
    host,
  );
  const q = <T extends Element = HTMLElement>(s: string) => host.querySelector<T>(s)!;
  return { host, calls, q, done: () => host.remove() };
}

describe('bibProblemText', () => {
  it('accepts a BIB of letters and digits, with or without leading zeros and spaces around', () => {
    for (const ok of ['427', '0427', 'A12', ' 427 ']) expect(bibProblemText(ok, messages), ok).to.equal(null);
  });

  it('says what is wrong: empty, too long, other characters', () => {
    expect(bibProblemText('', messages)).to.equal('empty');
    expect(bibProblemText('   ', messages)).to.equal('empty');
    expect(bibProblemText('9'.repeat(BIB_MAX_LENGTH + 1), messages)).to.equal(`long ${BIB_MAX_LENGTH}`);
    expect(bibProblemText('04-27!', messages)).to.equal('chars');
  });
});

describe('bibField', () => {
  it('renders the labelled field with the shared parts, the hint describing it', () => {
    const { q, done } = mount({ value: '0427' });
    const input = q<HTMLInputElement>('input');
    expect(q('form').getAttribute('part')).to.equal('form');
    expect(q('form').getAttribute('aria-label')).to.equal('Find it');
    expect(q('form').hasAttribute('role')).to.equal(false);
    expect(q('label').getAttribute('for')).to.equal('in');
    expect(q('label').getAttribute('part')).to.equal('label');
    expect(q('label').textContent).to.equal('Your BIB number');
    expect(input.id).to.equal('in');
    expect(input.getAttribute('part')).to.equal('search-input');
    expect(input.value).to.equal('0427');
    expect(input.getAttribute('aria-invalid')).to.equal('false');
    expect(input.getAttribute('aria-describedby')).to.equal('in-hint');
    expect(q('#in-hint').textContent!.trim()).to.equal('e.g. 427');
    expect(q('[part=search-button]').textContent!.trim()).to.equal('Go');
    expect(q('[part=clear]')).to.equal(null);
    expect(q('[part=problem]')).to.equal(null);
    done();
  });

  it('shows the problem as an alert the field points to', () => {
    const { q, done } = mount({ problem: 'A BIB number has only letters and digits.', role: 'search' });
    const problem = q('[part=problem]');
    expect(problem.id).to.equal('in-problem');
    expect(problem.getAttribute('role')).to.equal('alert');
    expect(q('input').getAttribute('aria-invalid')).to.equal('true');
    expect(q('input').getAttribute('aria-describedby')).to.equal('in-problem');
    expect(q('#in-hint')).to.equal(null);
    expect(q('form').getAttribute('role')).to.equal('search');
    done();
  });

  it('offers a named clear button when asked, and wires submit, input and clear', () => {
    let cleared = 0;
    const { q, calls, done } = mount({ clear: { label: 'Clear the search', onClick: () => cleared++ } });
    const clear = q<HTMLButtonElement>('[part=clear]');
    expect(clear.getAttribute('aria-label')).to.equal('Clear the search');
    expect(clear.type).to.equal('button');
    clear.click();
    expect(cleared).to.equal(1);
    expect(calls).to.deep.equal([]); // a type="button" does not submit
    q('input').dispatchEvent(new Event('input'));
    q<HTMLButtonElement>('[part=search-button]').click();
    expect(calls).to.deep.equal(['input', 'submit']);
    done();
  });
});
