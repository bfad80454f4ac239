import type { ClaimSpec } from './judgement.js';
import { judgeExecSpeed, judgeStartup } from './judge-speed.js';
import { judgeChrootIsolation, judgeContainerIsolation, judgeVmIsolation } from './judge-isolation.js';
import { judgeChrootContents, judgeContainerArtifact, judgeContainerKernel, judgeContainerMinimal, judgeVmContents } from './judge-contents.js';
import { judgeImageIsBase, judgeRegistry, judgeRwLayer } from './judge-image.js';
import { judgeEngineHypervisor, judgeEngineNetwork, judgeEnginePersist, judgeEngineRunsContainers, judgeEngineSeparates } from './judge-engine.js';
import { judgeChrootNotPortable, judgePortable } from './judge-portability.js';

const ARTIFACTS = 'Artifacts of a container environment';
const CMP = 'VM / container / chroot comparison';
const IMAGES = 'About container images';
const ENGINES = 'About container engines';

/**
 * Every sentence of the seed (docs/container-concepts.pt.md, English
 * rendering in container-concepts.en.md), in document order, each with its
 * judge. The English file's preface ("This is the document the project was
 * created from...") is the translator's note, not part of the original, and
 * makes no claim about containers: it is not catalogued. A test checks that
 * every bullet sentence of both files appears here.
 */
export const CATALOGUE: readonly ClaimSpec[] = [
  {
    id: 'artifacts.container', section: ARTIFACTS, subject: 'container',
    sentence: 'Container: a minimized OS running on top of a host OS.',
    sentencePt: 'Container: Um OS minimizado rodando em cima de um OS host.',
    judge: judgeContainerArtifact,
  },
  {
    id: 'artifacts.image', section: ARTIFACTS, subject: 'image',
    sentence: 'Image: the skeleton of a container.',
    sentencePt: 'Imagem: O esqueleto de um container.',
    judge: judgeImageIsBase,
  },
  {
    id: 'artifacts.registry', section: ARTIFACTS, subject: 'registry',
    sentence: 'Registry: the place where container images are stored.',
    sentencePt: 'Registry: Lugar onde são armazenadas as imagens de containers.',
    judge: judgeRegistry,
  },
  {
    id: 'artifacts.engine', section: ARTIFACTS, subject: 'engine',
    sentence: 'Container engine: the motor that runs and manages containers.',
    sentencePt: 'Container Engine: O motor rodar e gerenciar os containers.',
    judge: judgeEngineRunsContainers,
  },
  {
    id: 'isolation.vm', section: `${CMP} › Isolation`, subject: 'vm', table: { row: 'Isolation', column: 'vm' },
    sentence: 'Virtual machine: total isolation.',
    sentencePt: 'Virtual Machine: Isolamento total.',
    judge: judgeVmIsolation,
  },
  {
    id: 'isolation.container', section: `${CMP} › Isolation`, subject: 'container', table: { row: 'Isolation', column: 'container' },
    sentence: 'Container: isolation of the filesystem, the processes and the network.',
    sentencePt: 'Container: Isolamendo do filesystem, dos processos e da rede.',
    judge: judgeContainerIsolation,
  },
  {
    id: 'isolation.chroot', section: `${CMP} › Isolation`, subject: 'chroot', table: { row: 'Isolation', column: 'chroot' },
    sentence: 'Chroot: isolation of the filesystem only.',
    sentencePt: 'Chroot: Isolamendo apenas do filesystem.',
    judge: judgeChrootIsolation,
  },
  {
    id: 'portability.vm', section: `${CMP} › Portability`, subject: 'vm', table: { row: 'Portability', column: 'vm' },
    sentence: 'Virtual machine: completely portable.',
    sentencePt: 'Virtual Machine: Completamente portátil.',
    judge: judgePortable('vm'),
  },
  {
    id: 'portability.container', section: `${CMP} › Portability`, subject: 'container', table: { row: 'Portability', column: 'container' },
    sentence: 'Container: completely portable.',
    sentencePt: 'Container: Completamente portátil.',
    judge: judgePortable('container'),
  },
  {
    id: 'portability.chroot', section: `${CMP} › Portability`, subject: 'chroot', table: { row: 'Portability', column: 'chroot' },
    sentence: 'Chroot: not portable.',
    sentencePt: 'Chroot: Não portátil.',
    judge: judgeChrootNotPortable,
  },
  {
    id: 'contents.vm', section: `${CMP} › Contents`, subject: 'vm', table: { row: 'Contents', column: 'vm' },
    sentence: 'Virtual machine: a complete OS with its own kernel.',
    sentencePt: 'Virtual Machine: Contém um OS completo e o seu próprio kernel.',
    judge: judgeVmContents,
  },
  {
    id: 'contents.container.host-kernel', section: `${CMP} › Contents`, subject: 'container', table: { row: 'Contents', column: 'container' },
    sentence: "Container: a complete OS, but it uses the host's kernel.",
    sentencePt: 'Container: Contém um OS completo mas acessa o kernel do host.',
    judge: judgeContainerKernel,
  },
  {
    id: 'contents.container.minimal', section: `${CMP} › Contents`, subject: 'container', table: { row: 'Contents', column: 'container' },
    sentence: 'Most of the time the complete OS is not needed: only what the application needs to run (libraries and applications) can be kept.',
    sentencePt: 'Mas na maioria das vezes não é necessário ter o OS completo, pode-se deixar apenas o que aplicação precisa para rodar (bibliotecas e aplicações).',
    judge: judgeContainerMinimal,
  },
  {
    id: 'contents.chroot', section: `${CMP} › Contents`, subject: 'chroot', table: { row: 'Contents', column: 'chroot' },
    sentence: 'Chroot: anything you want.',
    sentencePt: 'Chroot: Qualquer coisa que se desejar.',
    judge: judgeChrootContents,
  },
  {
    id: 'speed.vm.start', section: `${CMP} › Speed`, subject: 'vm', table: { row: 'Speed', column: 'vm' },
    sentence: 'Virtual machine: relatively fast to start.',
    sentencePt: 'Virtual Machine: Relativamente rápido para iniciar.',
    judge: judgeStartup('vm', 'relatively-fast'),
  },
  {
    id: 'speed.vm.exec', section: `${CMP} › Speed`, subject: 'vm', table: { row: 'Speed', column: 'vm' },
    sentence: "Its execution speed is CLOSE to the host's.",
    sentencePt: 'Sua velocidade de execução é PRÓXIMA a do host.',
    judge: judgeExecSpeed('vm', 'close'),
  },
  {
    id: 'speed.container.start', section: `${CMP} › Speed`, subject: 'container', table: { row: 'Speed', column: 'container' },
    sentence: 'Container: VERY fast start.',
    sentencePt: 'Container: Inicialização MUITO rápida.',
    judge: judgeStartup('container', 'very-fast'),
  },
  {
    id: 'speed.container.exec', section: `${CMP} › Speed`, subject: 'container', table: { row: 'Speed', column: 'container' },
    sentence: "Its execution speed is the SAME as the host's.",
    sentencePt: 'Sua velocidade de execução é MESMA a do host.',
    judge: judgeExecSpeed('container', 'same'),
  },
  {
    id: 'speed.chroot.start', section: `${CMP} › Speed`, subject: 'chroot', table: { row: 'Speed', column: 'chroot' },
    sentence: 'Chroot: VERY fast start.',
    sentencePt: 'Chroot: Inicialização MUITO rápida.',
    judge: judgeStartup('chroot', 'very-fast'),
  },
  {
    id: 'speed.chroot.exec', section: `${CMP} › Speed`, subject: 'chroot', table: { row: 'Speed', column: 'chroot' },
    sentence: "Its execution speed is the SAME as the host's.",
    sentencePt: 'Sua velocidade de execução é MESMA a do host.',
    judge: judgeExecSpeed('chroot', 'same'),
  },
  {
    id: 'image.base', section: IMAGES, subject: 'image',
    sentence: 'An image is the base of a container.',
    sentencePt: 'Uma imagem é a base para um container.',
    judge: judgeImageIsBase,
  },
  {
    id: 'image.rw-layer', section: IMAGES, subject: 'image',
    sentence: 'An image becomes a container by adding a read-write (rw) layer on top of it.',
    sentencePt: 'Uma imagem vira container a partir da adição de uma camada de rw (read & write) na imagem do container.',
    judge: judgeRwLayer('adds-rw'),
  },
  {
    id: 'image.no-copy', section: IMAGES, subject: 'image',
    sentence: 'When a container starts, it does not copy the image:',
    sentencePt: 'Quando um container entra em execução, esse não copia a imagem:',
    judge: judgeRwLayer('no-copy'),
  },
  {
    id: 'image.rw-only', section: IMAGES, subject: 'image',
    sentence: 'only an rw layer is added;',
    sentencePt: 'O que acontece é apenas a adição de uma camada de RW.',
    judge: judgeRwLayer('rw-only'),
  },
  {
    id: 'image.many', section: IMAGES, subject: 'image',
    sentence: 'several containers can be instantiated from one single image at the same time.',
    sentencePt: 'Vários containers podem ser instanciados de uma única imagem ao mesmo tempo.',
    judge: judgeRwLayer('many'),
  },
  {
    id: 'image.registries', section: IMAGES, subject: 'registry',
    sentence: 'Container images are stored in registries.',
    sentencePt: 'Imagens de containers são armazenadas em registries.',
    judge: judgeRegistry,
  },
  {
    id: 'engine.hypervisor', section: ENGINES, subject: 'engine',
    sentence: 'Compared with VMs, the engine plays the role of the "hypervisor".',
    sentencePt: 'Fazendo um parelo com VM\'s, é um "Hypervisor".',
    judge: judgeEngineHypervisor,
  },
  {
    id: 'engine.network', section: ENGINES, subject: 'engine',
    sentence: 'It provides a network interface.',
    sentencePt: 'Provê uma interface de rede',
    judge: judgeEngineNetwork,
  },
  {
    id: 'engine.separates', section: ENGINES, subject: 'engine',
    sentence: 'It separates containers from each other.',
    sentencePt: 'Separa os containers uns dos outros.',
    judge: judgeEngineSeparates,
  },
  {
    id: 'engine.persist', section: ENGINES, subject: 'engine',
    sentence: 'It provides a way for containers to persist data.',
    sentencePt: 'Provê uma forma de containers persistirem dados.',
    judge: judgeEnginePersist,
  },
];
