"""The one stylesheet every page shares, in place of Tailwind's in-browser compiler.

NiceGUI can compile Tailwind classes in the browser, but that is a 260 KB script that a phone must download,
parse and run before the first paint, and that watches every later change to the page. Kinroll uses a few
dozen utility classes, so they are written out here (Tailwind's values) and the compiler is switched off in
`main.py`. A class used in `.classes(...)` that is missing here has no effect: `tests/test_styles.py` fails
when that happens.
"""

from __future__ import annotations

from nicegui import app, ui

PRIMARY = '#0b5cad'  # 6.4:1 on white: WCAG AA for text of any size

# Layer `utilities` comes after NiceGUI's own layer, so `.items-center` beats `.nicegui-row`'s default.
UTILITIES = {
    # sizes
    'w-full': 'width: 100%',
    'w-32': 'width: 8rem',
    'w-40': 'width: 10rem',
    'w-48': 'width: 12rem',
    'w-56': 'width: 14rem',
    'w-64': 'width: 16rem',
    'w-72': 'width: 18rem',
    'w-80': 'width: 20rem',
    'w-96': 'width: 24rem',
    'h-48': 'height: 12rem',
    'min-w-0': 'min-width: 0',
    'max-w-full': 'max-width: 100%',
    'max-w-sm': 'max-width: 24rem',
    'max-w-xl': 'max-width: 36rem',
    'max-w-2xl': 'max-width: 42rem',
    'max-w-3xl': 'max-width: 48rem',
    'max-w-4xl': 'max-width: 56rem',
    'max-h-64': 'max-height: 16rem',
    # spacing
    'm-0': 'margin: 0',
    'mx-auto': 'margin-left: auto; margin-right: auto',
    'p-2': 'padding: 0.5rem',
    'p-3': 'padding: 0.75rem',
    'p-4': 'padding: 1rem',
    'px-3': 'padding-left: 0.75rem; padding-right: 0.75rem',
    'px-4': 'padding-left: 1rem; padding-right: 1rem',
    'py-1': 'padding-top: 0.25rem; padding-bottom: 0.25rem',
    'py-2': 'padding-top: 0.5rem; padding-bottom: 0.5rem',
    'gap-0': 'gap: 0',
    'gap-1': 'gap: 0.25rem',
    'gap-2': 'gap: 0.5rem',
    'gap-3': 'gap: 0.75rem',
    'gap-4': 'gap: 1rem',
    'gap-x-3': 'column-gap: 0.75rem',
    'gap-y-0': 'row-gap: 0',
    # flex
    'flex-1': 'flex: 1 1 0%',
    'shrink': 'flex-shrink: 1',
    'shrink-0': 'flex-shrink: 0',
    'wrap': 'flex-wrap: wrap',
    'no-wrap': 'flex-wrap: nowrap',
    'items-start': 'align-items: flex-start',
    'items-center': 'align-items: center',
    'items-end': 'align-items: flex-end',
    'items-stretch': 'align-items: stretch',
    'justify-between': 'justify-content: space-between',
    'justify-end': 'justify-content: flex-end',
    'block': 'display: block',
    # text
    'text-sm': 'font-size: 0.875rem; line-height: 1.25rem',
    'text-base': 'font-size: 1rem; line-height: 1.5rem',
    'text-lg': 'font-size: 1.125rem; line-height: 1.75rem',
    'text-xl': 'font-size: 1.25rem; line-height: 1.75rem',
    'text-2xl': 'font-size: 1.5rem; line-height: 2rem',
    'text-3xl': 'font-size: 1.875rem; line-height: 2.25rem',
    'font-medium': 'font-weight: 500',
    'font-semibold': 'font-weight: 600',
    'font-bold': 'font-weight: 700',
    'font-mono': 'font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
    'truncate': 'overflow: hidden; text-overflow: ellipsis; white-space: nowrap',
    'whitespace-pre-wrap': 'white-space: pre-wrap',
    'no-underline': 'text-decoration-line: none',
    # colours (Quasar's text-primary, text-negative, text-positive, text-black and bg-white are used as they are)
    'text-gray-700': 'color: #374151',
    'bg-gray-50': 'background-color: #f9fafb',
    # boxes
    'rounded': 'border-radius: 0.25rem',
    'border': 'border: 1px solid #e5e7eb',
    'border-negative': 'border-color: #c10015',  # after border: a box that warns
    'break-words': 'overflow-wrap: anywhere',
    'shadow-sm': 'box-shadow: 0 1px 3px 0 rgb(0 0 0 / 0.1), 0 1px 2px -1px rgb(0 0 0 / 0.1)',
    'overflow-auto': 'overflow: auto',
    'cursor-pointer': 'cursor: pointer',
}

# Kinroll's own classes, and Quasar's classes used as they are: not utilities to write out.
OWN_CLASSES = {'kr-tile', 'kr-tile-body', 'kr-link', 'kr-class', 'kr-hidden-uploader', 'kr-post'}
QUASAR_CLASSES = {'text-primary', 'text-negative', 'text-positive', 'text-black', 'bg-white'}

_RULES = '\n'.join(f'  .{name} {{ {rule}; }}' for name, rule in UTILITIES.items())

HEAD_HTML = f"""
<meta name="description" content="Kinroll parent portal">
<style>
@layer utilities {{
{_RULES}
}}
@layer overrides {{
  /* The phone's own font (Roboto on Android, San Francisco on iOS): nothing to download before text shows. */
  body {{ background: #f5f7fa; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue",
    Arial, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif;
    /* A long unbroken word someone typed (a title, an address) wraps instead of widening the page past 360 px;
       headings may break anywhere, since a flex column sizes them by their longest word. */
    overflow-wrap: break-word; }}
  h1, h2, h3 {{ overflow-wrap: anywhere; }}
  .kr-tile {{ display: block; width: 100%; min-height: 48px; border-radius: 12px; background: #fff; color: #000;
    text-decoration-line: none; box-shadow: 0 1px 3px 0 rgb(0 0 0 / 0.1), 0 1px 2px -1px rgb(0 0 0 / 0.1); }}
  .kr-tile-body {{ display: flex; align-items: center; gap: 0.75rem; padding: 0.75rem; min-width: 0; }}
  .kr-tile-icon {{ flex-shrink: 0; color: {PRIMARY}; }}
  .kr-tile-icon svg {{ display: block; width: 24px; height: 24px; fill: currentColor; }}
  .kr-tile-text {{ display: flex; flex-direction: column; flex: 1 1 0%; min-width: 0; }}
  .kr-tile-title, .kr-tile-detail {{ overflow: hidden; overflow-wrap: break-word; display: -webkit-box;
    -webkit-box-orient: vertical; -webkit-line-clamp: 2; line-clamp: 2; }}  /* two lines, then an ellipsis */
  .kr-tile-title {{ font-weight: 500; }}
  .kr-tile-detail {{ font-size: 0.875rem; line-height: 1.25rem; color: #374151; }}
  .kr-tile-detail.kr-emphasis {{ font-size: 1.125rem; line-height: 1.75rem; font-weight: 700; color: #000; }}
  .kr-hidden-uploader {{ display: none; }}  /* opened by its named button: components/uploads.py */
  /* a news post's Markdown: its headings stay below the page's own title */
  .kr-post h1, .kr-post h2 {{ font-size: 1.125rem; line-height: 1.75rem; font-weight: 600; margin: 0.75rem 0 0.25rem; }}
  .kr-post h3, .kr-post h4, .kr-post h5, .kr-post h6 {{ font-size: 1rem; font-weight: 600; margin: 0.5rem 0 0.25rem; }}
  a.kr-link {{ color: {PRIMARY}; }}
  /* A class on the Classes screen: its text is one block of HTML (components of its own would be ten elements). */
  .kr-class h3 {{ margin: 0 0 0.25rem; font-size: 1.125rem; line-height: 1.5rem; font-weight: 600; }}
  .kr-class p {{ margin: 0; }}
  .kr-class .kr-muted, .kr-class .kr-reason {{ color: #374151; font-size: 0.875rem; }}
  .kr-class .kr-openings {{ font-weight: 600; }}
  .kr-class .kr-full {{ color: #c10015; }}
  .kr-class .kr-few {{ color: #8a4b00; }}
  .kr-class .kr-can {{ color: #1b6e2e; }}
  .kr-class details {{ margin-top: 0.25rem; }}
  .kr-class summary {{ color: {PRIMARY}; cursor: pointer; min-height: 24px; }}
  .q-field__bottom {{ color: #4b5563; }}  /* hints: Quasar's grey is 4.49:1 on this background, short of AA */
}}
</style>
<script>
  // Quasar's page-loading bar is decoration (the page says what is happening): hide it from screen readers.
  // Quasar's field messages are not live regions: make them polite ones, so an error beside a field is read out.
  new MutationObserver(() => {{
    document.querySelectorAll('.q-loading-bar:not([aria-hidden])')
      .forEach(bar => bar.setAttribute('aria-hidden', 'true'));
    document.querySelectorAll('.q-field__bottom:not([aria-live])')
      .forEach(bottom => bottom.setAttribute('aria-live', 'polite'));
    document.querySelectorAll('.q-field').forEach(field => {{  // and the field itself says it is invalid
      const input = field.querySelector('input, textarea');
      const invalid = String(field.classList.contains('q-field--error'));
      if (input && input.getAttribute('aria-invalid') !== invalid) input.setAttribute('aria-invalid', invalid);
    }});
  }}).observe(document.documentElement,
    {{childList: true, subtree: true, attributes: true, attributeFilter: ['class']}});
</script>
"""


def install() -> None:
    """Once, for every page: the stylesheet, the field-announcing script and the studio's primary colour.

    Given once rather than on each page, they cost a page nothing to build: `ui.colors` would be one more
    element, and one more component for the browser to load, on every page."""
    ui.add_head_html(HEAD_HTML, shared=True)
    app.colors(primary=PRIMARY)
