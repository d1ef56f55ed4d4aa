import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import Bench from './components/Bench.svelte';

const bench = new URLSearchParams(location.search).get('bench');
const target = document.getElementById('app')!;
if (bench) mount(Bench, { target, props: { nodes: Number(bench) } });
else mount(App, { target });
