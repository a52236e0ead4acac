// The third-party portal mounts its second widget with a call instead of the tag.
import { mount } from '../widget/huiqi-check.js';

mount(document.getElementById('check-b'), {
  region: '650105',
  lang: 'en',
  draftKey: 'qifutong:650105',
  theme: { accent: '#6b2fa0' },
}).catch((error) => console.error(error));
